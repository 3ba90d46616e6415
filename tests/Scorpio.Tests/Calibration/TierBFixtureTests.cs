using Scorpio.Training;

namespace Scorpio.Tests.Calibration;

/// <summary>The committed tier B network follows its recipe (<see cref="TierBFixture"/>); SCORPIO_UPDATE_FIXTURES=1 retrains it.</summary>
public class TierBFixtureTests
{
    /// <summary>
    /// The committed config.json holds the recipe's seed, SDE, network, normalisation, training settings and data (shape,
    /// count and the description of the draws): a change of the recipe without retraining fails here. With
    /// SCORPIO_UPDATE_FIXTURES=1 the fixture is retrained first (several CPU-minutes).
    /// </summary>
    [Fact]
    public void TierBFixtureFollowsItsRecipe()
    {
        if (Environment.GetEnvironmentVariable("SCORPIO_UPDATE_FIXTURES") == "1")
        {
            Scorpio.Torch.torch.NumThreads = 1;   // one thread: the fixture does not depend on the machine's core count
            TierBFixture.Train(TierBFixture.Folder);
        }
        var committed = ConfigJson.Load(Path.Combine(TierBFixture.Folder, "config.json"));
        var recipe = TierBFixture.Config;
        static string Canonical(RunConfig c) => ConfigJson.Serialize(c with
        {
            ScorpioVersion = "",
            Data = new DataConfig(),
            Training = c.Training with { Loss = null },
            Normalization = c.Normalization with { Mean = null, Std = null, Low = null, High = null },
        });
        Assert.Equal(Canonical(recipe), Canonical(committed));
        Assert.Equal([1, CalibrationSetup.Size, CalibrationSetup.Size], committed.Data.Shape);
        Assert.Equal(TierBFixture.Images, committed.Data.Count);
        Assert.Equal([TierBFixture.DataDescription], committed.Data.Sources);
        Assert.True(File.Exists(Path.Combine(TierBFixture.Folder, "model.safetensors")));
    }
}
