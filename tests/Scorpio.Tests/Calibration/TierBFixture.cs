using Scorpio.Data;
using Scorpio.Models;
using Scorpio.Networks;
using Scorpio.Tests.Models;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Calibration;

/// <summary>
/// Tier B's prior, committed as a run folder (tests/Scorpio.Tests/Calibration/TierB: config.json and model.safetensors, 202 KiB) so that `make test` spends no time training: the tiny NCSN++ preset (nf 8, two levels) with EDM preconditioning
/// (sigma_data 1, the data's scale) trained by the library's trainer for <see cref="Steps"/> steps on <see cref="Images"/>
/// exact draws (seed <see cref="DataSeed"/>) of the tier A Gaussian, so that the only difference from tier A is the network's
/// error. The recipe is <see cref="Config"/>; `SCORPIO_UPDATE_FIXTURES=1 dotnet test --filter TierBFixtureFollowsItsRecipe`
/// retrains it (several CPU-minutes on one thread) and a test keeps the committed config.json equal to the recipe.
/// </summary>
internal static class TierBFixture
{
    public const int Steps = 1500;
    public const int Images = 4096;
    public const ulong DataSeed = 2024;

    public static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "Scorpio.Tests", "Calibration", "TierB");

    /// <summary>The training configuration, as the trainer receives it (it adds the data shape, normalisation statistics and loss).</summary>
    public static RunConfig Config => new()
    {
        Seed = 7,
        Sde = new SdeConfig { Name = "edm", SigmaData = 1.0 },
        Network = NetworkPresets.Tiny(CalibrationSetup.Size, 1),
        Normalization = new() { Kind = "none" },
        Training = new TrainingConfig { Steps = Steps, Batch = 64, Lr = 2e-3, Ema = 0.995, Warmup = 50, CheckpointEvery = Steps },
    };

    /// <summary>What the recipe's data are, recorded as the run's data source.</summary>
    public static string DataDescription => $"tier A Gaussian (16x16, amplitude 1, length 1.5 px, white 0.01): {Images} exact draws, seed {DataSeed}";

    /// <summary>Trains the recipe into <paramref name="dir"/> (replacing what is there).</summary>
    public static void Train(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        using var gaussian = CalibrationSetup.Prior();
        using var rng = new Generator(DataSeed);
        using var draws = gaussian.Draw(Images, rng);
        using var data = new TrainingDataset(draws.To(DType.Float32), [DataDescription]);
        var result = Trainer.Run(new TrainingOptions { OutDir = dir, Config = Config, Data = data });
        if (result.Outcome != TrainingOutcome.Completed) throw new InvalidOperationException(result.Message);
        foreach (var extra in new[] { "checkpoint.safetensors", "loss.csv" }) File.Delete(Path.Combine(dir, extra));
    }

    public static ScoreModel Load() => ScoreModel.Load(Folder, Device.CPU);
}
