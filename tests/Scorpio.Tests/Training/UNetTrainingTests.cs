using Scorpio.Training;
using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Tests.Training;

/// <summary>A tiny U-Net trained for a few hundred steps on simulated blob images lowers the DSM loss.</summary>
public class UNetTrainingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// Loss measured before (the fresh network with the run's seed) and after (EMA weights) on the
    /// same 128 images with the same noise draws. An untrained network gives ~D/2 = 128 for 16x16
    /// (its output is ~0 so the loss is |z|^2 / 2); the stated requirement is a factor of at least 10
    /// (measured: 162 -> 5.9, a factor of 27.6).
    /// </summary>
    [Fact]
    public void FewHundredStepsLowerTheDsmLossByAFactorOfTen()
    {
        torch.NumThreads = 2;
        var dir = TestPaths.TempDir("unet");
        using var physical = TrainingFixtures.Blobs(256, 16, 8);
        using var data = TrainingFixtures.InMemory(physical);
        var config = new RunConfig
        {
            Seed = 3,
            Sde = new SdeConfig { Name = "ve" },
            Network = TrainingFixtures.TinyUNet(16),
            Normalization = new() { Kind = "minmax-dataset" },
            Training = new TrainingConfig { Steps = 300, Batch = 16, Lr = 2e-3, Warmup = 20, Ema = 0.99, CheckpointEvery = 1000 },
        };
        var result = Trainer.Run(new TrainingOptions { OutDir = dir, Config = config, Data = data });
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);

        using var trained = ScoreModel.Load(dir, Device.CPU);
        using var initRng = new Generator((ulong)trained.Config.Seed);
        using var fresh = ScoreModel.Create(trained.Config, Device.CPU, initRng);
        fresh.Network.Eval();
        using var x = trained.FromPhysical(physical.Narrow(0, 0, 128));
        double before = FixedNoiseLoss(fresh, x), after = FixedNoiseLoss(trained, x);
        output.WriteLine($"DSM loss before {before:F2}, after {after:F2}: factor {before / after:F2}");
        Assert.True(before / after > 10, $"DSM loss {before:F2} -> {after:F2}, only a factor {before / after:F2}");
        var csv = File.ReadAllLines(Path.Combine(dir, "loss.csv"));
        Assert.Equal("step,loss,lr,images_per_s,seconds", csv[0]);
        Assert.Equal(301, csv.Length);
    }

    private static double FixedNoiseLoss(ScoreModel model, Tensor x)
    {
        var dsm = new DenoisingScoreMatchingLoss();
        using var g = new Generator(2024);
        double total = 0;
        for (int k = 0; k < 8; k++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.NoGrad();
            total += dsm.Compute(model, x, g).ToDouble();
        }
        return total / 8;
    }
}
