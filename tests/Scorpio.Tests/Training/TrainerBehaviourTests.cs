using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>Wall-time limit and how flags override config files and presets.</summary>
public class TrainerBehaviourTests
{
    public TrainerBehaviourTests() => torch.NumThreads = 2;

    private static RunConfig Tiny(int steps) => new()
    {
        Network = TrainingFixtures.TinyUNet(16),
        Training = new TrainingConfig { Steps = steps, Batch = 4, CheckpointEvery = 1000 },
    };

    [Fact]
    public void MaxTimeSavesACheckpointAndStopsCleanly()
    {
        var dir = TestPaths.TempDir("maxtime");
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 1));
        var r = Trainer.Run(new TrainingOptions { OutDir = dir, Config = Tiny(50), Data = data, MaxTime = TimeSpan.FromTicks(1) });
        Assert.Equal(TrainingOutcome.TimeLimit, r.Outcome);
        Assert.Equal(1, r.Step);
        Assert.Contains("--resume", r.Message);
        Assert.Equal("1", new RunFolder(dir).ReadCheckpoint().Metadata["step"]);
        var done = Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, TotalSteps = 3, Data = data });
        Assert.Equal(TrainingOutcome.Completed, done.Outcome);
        Assert.Equal(3, done.Step);
    }

    [Fact]
    public void FlagsOverrideTheFileAndPresetsFollowTheImageSize()
    {
        var file = ConfigJson.Parse("""{ "seed": 9, "training": { "steps": 100, "lr": 0.001 }, "sde": { "name": "edm" } }""", "file");
        var flags = new ConfigOverrides { Steps = 7, Preset = "ddpm-paper", Width = 48 };
        var c = flags.Apply(file, 64, 3);
        Assert.Equal(7, c.Training.Steps);           // flag beats file
        Assert.Equal(0.001, c.Training.Lr);          // file beats default
        Assert.Equal(9, c.Seed);
        Assert.Equal("edm", c.Sde.Name);
        Assert.Equal("ddpm", c.Network.Arch);        // preset
        Assert.Equal(48, c.Network.Width);           // --width beats the preset's 64
        Assert.Equal(64, c.Network.ImageSize);
        Assert.Equal(3, c.Network.InChannels);
        Assert.Contains(64, c.Network.AttentionResolutions);
        // Changing the SDE by flag resets its parameters and the SDE-specific loss.
        var vp = new ConfigOverrides { Sde = "ddpm" }.Apply(file with { Training = file.Training with { Loss = "edm" } }, 32, 1);
        Assert.Equal("ddpm", vp.Sde.Name);
        Assert.Null(vp.Training.Loss);
        var e = Assert.Throws<Scorpio.Astro.UserInputException>(() => new ConfigOverrides { Preset = "huge" }.Apply(file, 32, 1));
        Assert.Contains("huge", e.Message);
        var bad = Assert.ThrowsAny<Scorpio.Astro.UserInputException>(() => new ConfigOverrides { Sde = "ode" }.Apply(file, 32, 1));
        Assert.Contains("ode", bad.Message);
    }

    /// <summary>
    /// <see cref="ConfigOverrides.NewRun"/> (what `scorpio train` builds for a new run) loads the files and applies the overrides for the
    /// data's channels and image side, or the requested side; <see cref="ConfigOverrides.ForNoiseModel"/> adds train-noise's defaults.
    /// </summary>
    [Fact]
    public void NewRunLoadsTheDataAndAppliesTheOverridesForItsShape()
    {
        var dir = TestPaths.TempDir("newrun");
        string data = Path.Combine(dir, "images.fits");
        FitsFile.Write(data, new ImageData(new float[5 * 16 * 16], 5, 16, 16));
        var flags = new ConfigOverrides { Sde = "edm", Preset = "tiny", Width = 8, Steps = 3, Seed = 4 };
        var options = flags.NewRun(Path.Combine(dir, "run"), [data]);
        using (options.Data)
        {
            Assert.Equal(5, options.Data!.Count);
            Assert.Null(options.ImageSize);
            Assert.Equal(Path.Combine(dir, "run"), options.OutDir);
            Assert.Equal(ConfigJson.Serialize(flags.Apply(new RunConfig(), 16, 1)), ConfigJson.Serialize(options.Config));
        }
        var cropped = flags.NewRun(Path.Combine(dir, "run"), [data], imageSize: 8);
        using (cropped.Data)
        {
            Assert.Equal(8, cropped.ImageSize);
            Assert.Equal(8, cropped.Config.Network.ImageSize);
        }
        var noise = flags.ForNoiseModel();
        Assert.Equal(ConfigOverrides.NoiseModelNormalization, noise.Normalize);
        Assert.False(noise.Rot90);
        Assert.Equal("none", (flags with { Normalize = "none" }).ForNoiseModel().Normalize);
    }
}
