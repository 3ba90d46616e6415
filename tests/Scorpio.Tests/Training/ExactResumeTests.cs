using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Data;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>6 steps then --resume to 12 gives bit-identical weights, EMA, optimiser and RNG state to 12 steps in one run.</summary>
public class ExactResumeTests
{
    public ExactResumeTests() => torch.NumThreads = 2;

    private static RunConfig Config(string sde) => new()
    {
        Seed = 17,
        Sde = new SdeConfig { Name = sde },
        Network = TrainingFixtures.TinyUNet(16),
        Normalization = new() { Kind = "asinh", AsinhScale = 0.1 },
        Training = new TrainingConfig
        {
            Steps = 12, Batch = 4, Lr = 1e-3, Warmup = 3, Ema = 0.9, GradClip = 1.0, CheckpointEvery = 100,
            Augment = new AugmentationConfig { Flip = true, Rot90 = true, Shift = 2 },
        },
    };

    [Theory]
    [InlineData("ve")]
    [InlineData("edm")]
    [InlineData("ddpm")]
    public void SixStepsThenResumeToTwelveEqualsTwelveStepsBitwise(string sde)
    {
        var root = TestPaths.TempDir("resume-" + sde);
        // Data from a FITS cube on disk (the CLI path), 10 images: batches of 4 cross epoch boundaries.
        var cube = Path.Combine(root, "blobs.fits");
        using (var blobs = TrainingFixtures.Blobs(10, 16, 3))
            FitsFile.Write(cube, new ImageData(blobs.ToFloatArray(), 10, 16, 16));

        var once = Path.Combine(root, "once");
        var split = Path.Combine(root, "split");
        Assert.Equal(TrainingOutcome.Completed, Trainer.Run(new TrainingOptions { OutDir = once, Config = Config(sde), DataPaths = [cube] }).Outcome);
        var first = Trainer.Run(new TrainingOptions { OutDir = split, Config = Config(sde), DataPaths = [cube], TotalSteps = 6 });
        Assert.Equal(6, first.Step);
        var second = Trainer.Run(new TrainingOptions { OutDir = split, Resume = true, TotalSteps = 12 });
        Assert.Equal(TrainingOutcome.Completed, second.Outcome);
        Assert.Equal(12, second.Step);

        AssertSameTensors(Path.Combine(once, "model.safetensors"), Path.Combine(split, "model.safetensors"));
        AssertSameTensors(Path.Combine(once, "checkpoint.safetensors"), Path.Combine(split, "checkpoint.safetensors"));
        // The loss logs agree row by row too (same batches, noise and weights at every step).
        var a = File.ReadAllLines(Path.Combine(once, "loss.csv")).Select(l => string.Join(",", l.Split(',').Take(3))).ToArray();
        var b = File.ReadAllLines(Path.Combine(split, "loss.csv")).Select(l => string.Join(",", l.Split(',').Take(3))).ToArray();
        Assert.Equal(13, a.Length);
        Assert.Equal(a, b);
    }

    [Fact]
    public void ResumingAFinishedRunDoesNothing()
    {
        var root = TestPaths.TempDir("resume-done");
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 1));
        var cfg = Config("ve") with { Training = Config("ve").Training with { Steps = 2 } };
        Trainer.Run(new TrainingOptions { OutDir = root, Config = cfg, Data = data });
        var again = Trainer.Run(new TrainingOptions { OutDir = root, Resume = true, Data = data });
        Assert.Equal(TrainingOutcome.AlreadyDone, again.Outcome);
        Assert.Contains("--steps", again.Message);
    }

    [Fact]
    public void NewRunRefusesAnExistingRunFolder()
    {
        var root = TestPaths.TempDir("resume-exists");
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 1));
        var cfg = Config("ve") with { Training = Config("ve").Training with { Steps = 1 } };
        Trainer.Run(new TrainingOptions { OutDir = root, Config = cfg, Data = data });
        var e = Assert.Throws<UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = root, Config = cfg, Data = data }));
        Assert.Contains("--resume", e.Message);
    }

    internal static void AssertSameTensors(string fileA, string fileB)
    {
        var (ta, _) = Safetensors.Load(fileA);
        var (tb, _) = Safetensors.Load(fileB);
        try
        {
            Assert.Equal(ta.Keys.OrderBy(k => k, StringComparer.Ordinal), tb.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (name, x) in ta)
            {
                var y = tb[name];
                Assert.True(x.DType == y.DType && x.Shape.SequenceEqual(y.Shape), $"{name}: dtype/shape differ");
                Assert.True(x.ToBytes().AsSpan().SequenceEqual(y.ToBytes()), $"{Path.GetFileName(fileA)}: tensor '{name}' differs between the runs");
            }
        }
        finally
        {
            foreach (var t in ta.Values.Concat(tb.Values)) t.Dispose();
        }
    }
}
