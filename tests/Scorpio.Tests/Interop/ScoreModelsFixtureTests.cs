using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Tests.Interop;

/// <summary>
/// Each score_models fixture, imported, reproduces score_models' own outputs on the same inputs: the network's output,
/// the score (output / sigma(t)) and Tweedie's one-step denoiser. Tolerance: float32 arithmetic through a few dozen
/// layers, in a different order of operations (libtorch kernels vs PyTorch's, FIR resampling as a convolution vs
/// upfirdn2d), leaves differences of at most 2.4e-6 (network output, |output| up to 2.6) and 7e-7 (denoised) on these fixtures; 1e-5 of the largest value (at least 1) is allowed.
/// </summary>
public class ScoreModelsFixtureTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Fixtures => new(ScoreModelsFixtures.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ImportedNetworkReproducesScoreModelsOutputAndScore(string name)
    {
        var expected = ScoreModelsFixtures.Expected(name);
        using var model = ScoreModel.Load(ScoreModelsFixtures.Import(name), Device.CPU);
        using var t32 = expected["t"].To(DType.Float32);
        using var net = model.Network.Forward(expected["xt"], t32);
        double netError = ScoreModelsFixtures.MaxDifference(net, expected["net"]);
        Assert.True(netError <= Tolerance * Math.Max(1, ScoreModelsFixtures.MaxAbs(expected["net"])), $"{name}: network differs by {netError:G3}");
        using var score = model.Score(expected["xt"], expected["t"]);
        double scoreError = ScoreModelsFixtures.MaxDifference(score, expected["score"]);
        Assert.True(scoreError <= Tolerance * Math.Max(1, ScoreModelsFixtures.MaxAbs(expected["score"])), $"{name}: score differs by {scoreError:G3}");
        foreach (var t in expected.Values) t.Dispose();
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TweedieDenoiserReproducesScoreModelsDenoisedOutput(string name)
    {
        var expected = ScoreModelsFixtures.Expected(name);
        using var model = ScoreModel.Load(ScoreModelsFixtures.Import(name), Device.CPU);
        double sigma = expected["sigma"].ToDouble();
        // The time whose noise-to-signal ratio is sigma: closed form in the fixture script, Scorpio's own here.
        Assert.Equal(expected["t_denoise"].ToDoubleArray()[0], model.Sde.TimeOfNoiseRatio(sigma), 10);
        using var denoised = TweedieDenoiser.Denoise(model, expected["y"], sigma);
        double error = ScoreModelsFixtures.MaxDifference(denoised, expected["denoised"]);
        Assert.True(error <= Tolerance * Math.Max(1, ScoreModelsFixtures.MaxAbs(expected["denoised"])), $"{name}: denoised output differs by {error:G3}");
        foreach (var t in expected.Values) t.Dispose();
    }
}
