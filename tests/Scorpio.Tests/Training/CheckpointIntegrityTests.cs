using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Tests.Training;

/// <summary>Truncated or corrupted checkpoints are refused with a message naming the file; a failed write leaves the previous one intact.</summary>
public class CheckpointIntegrityTests
{
    public CheckpointIntegrityTests() => torch.NumThreads = 2;

    private static string TrainedRun(string name)
    {
        var dir = TestPaths.TempDir(name);
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var cfg = new RunConfig
        {
            Network = TrainingFixtures.TinyUNet(16),
            Training = new TrainingConfig { Steps = 2, Batch = 4, CheckpointEvery = 1 },
        };
        Trainer.Run(new TrainingOptions { OutDir = dir, Config = cfg, Data = data });
        return dir;
    }

    [Fact]
    public void TruncatedCheckpointIsRefusedNamingTheFile()
    {
        var dir = TrainedRun("ckpt-truncated");
        var folder = new RunFolder(dir);
        var bytes = File.ReadAllBytes(folder.CheckpointPath);
        File.WriteAllBytes(folder.CheckpointPath, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, TotalSteps = 4, Data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2)) }));
        Assert.Contains(folder.CheckpointPath, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void FlippedByteIsCaughtByTheChecksum()
    {
        var dir = TrainedRun("ckpt-corrupt");
        var folder = new RunFolder(dir);
        var bytes = File.ReadAllBytes(folder.CheckpointPath);
        bytes[^100] ^= 0x40;   // inside the tensor data: the structure stays valid, the values do not
        var copy = Path.Combine(dir, "corrupt.safetensors");
        File.WriteAllBytes(copy, bytes);
        var e = Assert.Throws<UserInputException>(() => RunFolder.ReadVerified(copy));
        Assert.Contains(copy, e.Message);
        Assert.Contains("SHA-256", e.Message);
        // The original beside it is untouched and still loads.
        var (ok, _) = folder.ReadCheckpoint();
        foreach (var t in ok.Values) t.Dispose();

        File.WriteAllBytes(folder.ModelPath, bytes);
        var m = Assert.Throws<UserInputException>(() => ScoreModel.Load(dir, Device.CPU));
        Assert.Contains(folder.ModelPath, m.Message);
    }

    [Fact]
    public void FailedWriteLeavesThePreviousCheckpointIntact()
    {
        var dir = TrainedRun("ckpt-atomic");
        var folder = new RunFolder(dir);
        var before = File.ReadAllBytes(folder.CheckpointPath);
        // A write that dies half way (a tensor fails while the file is being written).
        var good = torch.Zeros([1000]);
        var bad = torch.Zeros([10]);
        bad.Dispose();
        var state = new Dictionary<string, Tensor> { ["a"] = good, ["b"] = bad };
        Assert.ThrowsAny<Exception>(() => folder.WriteCheckpoint(state, new Dictionary<string, string>()));
        good.Dispose();
        Assert.Equal(before, File.ReadAllBytes(folder.CheckpointPath));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
        var (ok, meta) = folder.ReadCheckpoint();
        Assert.Equal("2", meta["step"]);
        foreach (var t in ok.Values) t.Dispose();
        // And the run resumes from it.
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        Assert.Equal(TrainingOutcome.Completed, Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, TotalSteps = 3, Data = data }).Outcome);
    }

    [Fact]
    public void NanLossStopsWithAClearMessageAndKeepsTheCheckpoint()
    {
        var dir = TrainedRun("ckpt-nan");
        var folder = new RunFolder(dir);
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var r = Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, TotalSteps = 6, Data = data, Loss = new NanAfter(2) });
        Assert.Equal(TrainingOutcome.Diverged, r.Outcome);
        Assert.Contains("step 5", r.Message);            // steps 3 and 4 ran, step 5 produced NaN
        Assert.Contains("last finite loss", r.Message);
        Assert.Contains("checkpoint", r.Message);
        Assert.Contains("Nothing was saved after step 4", r.Message);
        Assert.Equal(4, r.Step);
        // The checkpoint holds step 4 (checkpointEvery = 1), not the NaN state, and still loads.
        var (tensors, meta) = folder.ReadCheckpoint();
        Assert.Equal("4", meta["step"]);
        Assert.All(tensors.Where(kv => kv.Key.StartsWith("model.")), kv => Assert.True(kv.Value.IsFinite().All().ToBool(), kv.Key));
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>The DSM loss for a few calls, then NaN (a diverging run).</summary>
    internal sealed class NanAfter(int good) : ITrainingLoss
    {
        private int _calls;
        private readonly DenoisingScoreMatchingLoss _dsm = new();
        public string Name => "dsm";
        public Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws)
        {
            var l = _dsm.Compute(model, x0, draws);
            if (_calls++ < good) return l;
            using (l) return l.Mul(double.NaN);
        }
    }
}
