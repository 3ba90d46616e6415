using Scorpio.Distributed;
using Scorpio.Tests.Training;
using Scorpio.Torch;
using Scorpio.Torch.Distributed;
using Scorpio.Training;

namespace Scorpio.Tests.Distributed;

/// <summary>
/// The data-parallel trainer's host reads and deferred loss checks: two Gloo ranks on 127.0.0.1, each a thread of this
/// process (the shim counts host reads per thread, <see cref="torch.HostReads"/>), training a tiny U-Net on global
/// batches of 4.
/// </summary>
public class DataParallelTrainerTests
{
    /// <summary>Runs <paramref name="train"/>(rank, options) on ranks 0 and 1 at once into <paramref name="dir"/>.</summary>
    private static T[] OnTwoRanks<T>(string dir, int steps, int checkpointEvery, Func<int, TrainingOptions, T> train)
    {
        int port = TcpStore.FreePort();
        var results = new T[2];
        var errors = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(rank => new Thread(() =>
        {
            try
            {
                using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(128, 16, 2));
                var cfg = new RunConfig
                {
                    Network = TrainingFixtures.TinyUNet(16),
                    Training = new TrainingConfig
                    {
                        Steps = steps, Batch = 4, CheckpointEvery = checkpointEvery, GradClip = 1.0,
                        Augment = new Data.AugmentationConfig { Flip = false, Rot90 = false },
                    },
                };
                using var dp = DataParallel.Join(new LaunchEnvironment(rank, 2, rank, 2, "127.0.0.1", port), "gloo", TimeSpan.FromSeconds(60), Device.CPU);
                results[rank] = train(rank, new TrainingOptions { OutDir = dir, Config = cfg, Data = data, LossReadEvery = 10, Parallel = dp });
            }
            catch (Exception e) { errors[rank] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(240)), "a rank did not finish in 240 s");
        foreach (var e in errors) if (e is not null) throw new Exception("a rank failed: " + e.Message, e);
        return results;
    }

    /// <summary>Host reads of each rank for a run of <paramref name="steps"/> steps.</summary>
    private static long[] Reads(int steps)
    {
        var dir = TestPaths.TempDir($"dp-host-reads-{steps}");
        var reads = OnTwoRanks(dir, steps, 1000, (_, options) =>
        {
            long before = torch.HostReads;
            var r = Trainer.Run(options);
            Assert.Equal(TrainingOutcome.Completed, r.Outcome);
            return torch.HostReads - before;
        });
        Assert.Equal(steps + 1, File.ReadAllLines(Path.Combine(dir, "loss.csv")).Length);
        return reads;
    }

    /// <summary>
    /// 20 more steps cost each rank 22 more host reads: 20 reads of the summed stop votes (one per step, so the ranks stop
    /// after the same step) and 2 of the deferred losses and gradient norms (every 10 steps), as one process reads them
    /// (<see cref="Models.HostReadTests.TheTrainerReadsTheLossOncePerTenSteps"/>); the clipping reads nothing.
    /// </summary>
    [Fact]
    public void ADataParallelStepReadsOnlyTheStopVotes()
    {
        var ten = Reads(10);
        var thirty = Reads(30);
        for (int rank = 0; rank < 2; rank++) Assert.Equal(ten[rank] + 22, thirty[rank]);
    }

    /// <summary>
    /// Rank 1's loss share turns NaN at step 5 (rank 0's stays finite). The summed loss and gradients are NaN on both
    /// ranks, found at the deferred read before the step-6 checkpoint: both stop at step 5, and the checkpoint keeps step 3.
    /// </summary>
    [Fact]
    public void ANonFiniteShareOnOneRankStopsBothAndKeepsTheLastGoodCheckpoint()
    {
        var dir = TestPaths.TempDir("dp-nan");
        var results = OnTwoRanks(dir, 9, 3, (rank, options) =>
            Trainer.Run(rank == 1 ? options with { Loss = new CheckpointIntegrityTests.NanAfter(4) } : options));
        foreach (var r in results)
        {
            Assert.Equal(TrainingOutcome.Diverged, r.Outcome);
            Assert.Contains("training stopped at step 5: the loss is NaN", r.Message);
            Assert.Contains("Nothing was saved after step 3", r.Message);
            Assert.Equal(4, r.Step);
        }
        var (tensors, meta) = new RunFolder(dir).ReadCheckpoint();
        Assert.Equal("3", meta["step"]);
        Assert.All(tensors.Where(kv => kv.Key.StartsWith("model.")), kv => Assert.True(kv.Value.IsFinite().All().ToBool(), kv.Key));
        foreach (var t in tensors.Values) t.Dispose();
    }
}
