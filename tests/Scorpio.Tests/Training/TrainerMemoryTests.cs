using Scorpio.Tests.Sampling;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>
/// Counts live native tensors around a training run, so it runs alone (the process-wide count would
/// include tensors of tests running in parallel; see <see cref="SamplerMemoryCollection"/>).
/// </summary>
[Collection(nameof(SamplerMemoryCollection))]
public class TrainerMemoryTests
{
    public TrainerMemoryTests() => torch.NumThreads = 2;

    [Fact]
    public void TrainingFreesEveryTensorItCreates()
    {
        var config = new RunConfig
        {
            Network = TrainingFixtures.TinyUNet(16),
            Training = new TrainingConfig { Steps = 1, Batch = 4, CheckpointEvery = 2 },
        };
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 1));
        // Warm up once (lazy statics, checkpoint code), then count live native tensors around a 5-step run.
        Trainer.Run(new TrainingOptions { OutDir = TestPaths.TempDir("leak0"), Config = config with { Training = config.Training with { Steps = 2 } }, Data = data });
        GC.Collect(); GC.WaitForPendingFinalizers();
        long before = torch.LiveTensorCount;
        Trainer.Run(new TrainingOptions { OutDir = TestPaths.TempDir("leak1"), Config = config with { Training = config.Training with { Steps = 5 } }, Data = data });
        long after = torch.LiveTensorCount;
        // One leaked tensor per step and parameter would add hundreds; a handful of cached constants is tolerated.
        Assert.True(after - before < 10, $"live tensors {before} -> {after}");
    }
}
