using Scorpio.Training;

namespace Scorpio.Tests.Training;

public class ConfigJsonTests
{
    [Fact]
    public void EveryKeyIsWrittenAndReadBack()
    {
        var c = new RunConfig
        {
            Seed = 42,
            Sde = new SdeConfig { Name = "ve", SigmaMax = 12.5 },
            Normalization = new() { Kind = "clip", High = [5.0, 5.5] },
            Data = new DataConfig { Shape = [2, 32, 32], Count = 10, Sources = ["/tmp/a.fits"] },
            Training = new TrainingConfig { Steps = 7, Lr = 1e-4, Augment = new() { Shift = 10 } },
        };
        var json = ConfigJson.Serialize(c);
        foreach (var key in new[] { "scorpioVersion", "seed", "sde", "sigmaMax", "network", "channelMult", "normalization", "clipPercentile", "data", "training", "warmup", "gradClip", "ema", "augment", "shift" })
            Assert.Contains($"\"{key}\"", json);
        var back = ConfigJson.Parse(json, "test");
        Assert.Equal(json, ConfigJson.Serialize(back));
        Assert.Equal(12.5, back.Sde.SigmaMax);
        Assert.Equal(10, back.Training.Augment.Shift);
    }

    [Fact]
    public void MissingKeysTakeDefaults()
    {
        var c = ConfigJson.Parse("""{ "training": { "steps": 5 }, "network": { "width": 64 } }""", "test");
        Assert.Equal(5, c.Training.Steps);
        Assert.Equal(new TrainingConfig().Batch, c.Training.Batch);
        Assert.Equal(64, c.Network.Width);
        Assert.Equal("ve", c.Sde.Name);
    }
}
