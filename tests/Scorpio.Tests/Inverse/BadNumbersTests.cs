using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Posterior;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// Bad numbers never pass silently: a sigma map's zero, NaN and infinite pixels are masked with a notice, negative values and
/// maps with nothing usable are refused; a posterior whose samples hold NaN is a failure that writes nothing; a failed write
/// removes the products it had written, so no folder looks complete (summary.json is written last).
/// </summary>
public class BadNumbersTests
{
    private static readonly VpSde Sde = new();

    public BadNumbersTests() => torch.NumThreads = 2;

    private static ObservationInput Flat(string name = "flat.fits") =>
        ObservationInput.FromImage(new ImageData(Enumerable.Repeat(0.3f, 64).ToArray(), 8, 8), null, name);

    private static InverseProblem Build(IScoreFunction prior, ObservationInput obs, Tensor sigmaMap, List<string>? notices = null) =>
        InverseProblemBuilder.Build(new ProblemSpec { Exposures = [new ExposureSpec { Observation = obs, SigmaMap = sigmaMap, SigmaMapPath = "sigma.fits" }] },
            new PriorModel(prior, Sde, [1, 8, 8], PriorUnits.Identity(1), "gaussian 8x8"), Device.CPU, notices is null ? null : notices.Add);

    [Fact]
    public void ZeroAndNanSigmasAreMaskedWithANoticeAndAnHwMapFitsA1HwObservation()
    {
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var obs = Flat();
        var values = Enumerable.Repeat(0.05f, 64).ToArray();
        values[3] = 0;
        values[10] = float.NaN;
        values[20] = float.PositiveInfinity;
        using var map = torch.FromArray(values, [8, 8]);   // (H, W) for a (1, H, W) observation
        var notices = new List<string>();
        using var problem = Build(prior, obs, map, notices);
        Assert.Contains(notices, n => n.Contains("sigma.fits") && n.Contains("3 observed pixel(s)") && n.Contains("masked"));
        Assert.Equal(3, (long)problem.Mask.Numel - (long)problem.Mask.Sum().ToDouble());
        // The masked pixels' sigma is a finite placeholder: nothing infinite or NaN enters the likelihood.
        Assert.True(problem.SigmaMap!.IsFinite().All().ToBool());
        Assert.True(problem.SigmaMap!.Gt(0.0).All().ToBool());
    }

    [Theory]
    [InlineData(-0.05f, "negative")]
    [InlineData(0f, "no usable value")]
    [InlineData(float.NaN, "no usable value")]
    public void NegativeOrUnusableSigmaMapsAreRefusedNamingTheFile(float value, string expected)
    {
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var obs = Flat();
        using var map = torch.Full([1, 8, 8], value, DType.Float32);
        var e = Assert.Throws<InvalidSettingException>(() => Build(prior, obs, map));
        Assert.Equal("sigmaMap", e.Parameter);
        Assert.Contains("sigma.fits", e.Message);
        Assert.Contains(expected, e.Message);
    }

    /// <summary>A prior whose score is NaN makes every sample NaN: the run fails naming the folder, and the folder holds no product.</summary>
    [Fact]
    public void APosteriorWithNanSamplesFailsAndWritesNothing()
    {
        using var obs = Flat();
        using var map = torch.Full([1, 8, 8], 0.05, DType.Float32);
        using var problem = Build(new NanScore(), obs, map);
        var dir = TestPaths.TempDir("nan-posterior");
        var e = Assert.Throws<UserInputException>(() => PosteriorPipeline.Run(new PosteriorRequest
        {
            Problem = problem, Settings = new PosteriorSettings { Sampler = "euler-maruyama", Steps = 5 }, Count = 3, PriorCount = 0, OutDir = dir,
        }));
        Assert.Contains("3 of 3 samples contain NaN", e.Message);
        Assert.Contains(dir, e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    /// <summary>A write that fails half way (median.fits cannot be written) removes what the run had written: no partial products.</summary>
    [Fact]
    public void AFailedWriteRemovesThePartialProducts()
    {
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var obs = Flat();
        using var map = torch.Full([1, 8, 8], 0.05, DType.Float32);
        using var problem = Build(prior, obs, map);
        var dir = TestPaths.TempDir("partial-posterior");
        File.WriteAllText(Path.Combine(dir, "summary.json"), "{}");          // from an earlier run: must not mark this one complete
        Directory.CreateDirectory(Path.Combine(dir, "median.fits"));           // the third product cannot be written
        Assert.ThrowsAny<Exception>(() => PosteriorPipeline.Run(new PosteriorRequest
        {
            Problem = problem, Settings = new PosteriorSettings { Sampler = "euler-maruyama", Steps = 5 }, Count = 2, PriorCount = 0, OutDir = dir,
        }));
        Assert.Empty(Directory.GetFiles(dir));
    }

    private sealed class NanScore : IScoreFunction
    {
        public Tensor Score(Tensor x, Tensor t) => x.Mul(double.NaN);
    }
}
