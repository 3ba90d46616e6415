using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Torch;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;

namespace Scorpio.Tests.Inverse;

/// <summary>Inputs users get wrong, each refused (or handled) with a specific message naming the shapes and the fix.</summary>
public class BadInputTests
{
    public BadInputTests() => torch.NumThreads = 2;

    private static readonly long[] Shape = [1, 16, 16];

    [Fact]
    public void APsfLargerThanTheImageIsRefused()
    {
        using var psf = Psf.FromModel(PsfModel.Gaussian, 3, 21);
        var e = Assert.Throws<UserInputException>(() => new PsfConvolution(psf, Shape));
        Assert.Contains("21x21", e.Message);
        Assert.Contains("16x16", e.Message);
        Assert.Contains("crop the PSF", e.Message);
        // Through the CLI's forward-model builder too (a 4x supersampled 81x81 PSF binned for --pool 1 is 21x21).
        using var fine = Psf.FromModel(PsfModel.Gaussian, 12, 81);
        var spec = new ForwardModelSpec { Psf = fine, PsfSupersample = 4, PsfSource = "psf.fits" };
        Assert.Throws<UserInputException>(() => spec.Build(Shape));
    }

    [Fact]
    public void APsfWithTheWrongNumberOfBandsOrSamplingIsRefused()
    {
        using var psf3 = torch.Ones([3, 5, 5]);
        var e = Assert.Throws<UserInputException>(() => new PsfConvolution(psf3, [2, 16, 16]));
        Assert.Contains("3 planes", e.Message);
        Assert.Contains("2 channel", e.Message);
        using var psf = Psf.FromModel(PsfModel.Gaussian, 3, 9);
        var spec = new ForwardModelSpec { Psf = psf, PsfSupersample = 3, Pool = 2 };
        var s = Assert.Throws<UserInputException>(() => spec.Build([1, 16, 16]));
        Assert.Contains("--pool 2", s.Message);
        using var nan = torch.Full([1, 3, 3], double.NaN);
        Assert.Throws<UserInputException>(() => Psf.FromImage(new ImageData(new float[] { 1, float.NaN, 1, 1 }, 2, 2), "psf.fits"));
    }

    [Fact]
    public void AMaskOfTheWrongShapeIsRefused()
    {
        using var mask = torch.Ones([16, 12]);
        var image = new ImageData(new float[256], 16, 16);
        var e = Assert.Throws<UserInputException>(() => ObservationInput.FromImage(image, null, "obs.fits", mask));
        Assert.Contains("16x12", e.Message);
        Assert.Contains("1x16x16", e.Message);
        var m = Assert.Throws<UserInputException>(() => new MaskOperator(mask, Shape));
        Assert.Contains("16x12", m.Message);
        using var prior = LinearGaussianSetup.Prior(new VpSde());
        using var y = torch.Zeros([1, 1, 8, 8]);
        using var bad = torch.Ones([1, 8, 9]);
        using var rng = new Generator(1);
        var i = Assert.Throws<UserInputException>(() => Inpainting.Sample(prior, prior.Sde, [0.5, 0.1], y, bad, 2, 1, rng));
        Assert.Contains("1x8x9", i.Message);
    }

    [Fact]
    public void AnObservationLargerThanThePriorExplainsHowToCutStamps()
    {
        var spec = new ForwardModelSpec { Pool = 2 };
        var e = Assert.Throws<UserInputException>(() => spec.CheckObservation([1, 64, 64], [1, 32, 32], "obs.fits"));
        Assert.Contains("64x64", e.Message);
        Assert.Contains("Cut a 16x16 stamp", e.Message);
        Assert.Contains("pooled by 2", e.Message);
        Assert.Contains("trained on 32x32", e.Message);
    }

    [Fact]
    public void APriorTrainedOnAnotherSizeIsRefused()
    {
        var spec = new ForwardModelSpec();
        var e = Assert.Throws<UserInputException>(() => spec.CheckObservation([1, 24, 24], [1, 32, 32], "obs.fits"));
        Assert.Contains("another image size", e.Message);
        Assert.Contains("24x24", e.Message);
        var bands = Assert.Throws<UserInputException>(() => spec.CheckObservation([3, 32, 32], [1, 32, 32], "obs.fits"));
        Assert.Contains("3 band", bands.Message);
        spec.CheckObservation([1, 32, 32], [1, 32, 32], "obs.fits");
    }

    [Fact]
    public void NaNsInTheObservationAreMaskedWithANotice()
    {
        var data = new float[64];
        for (int i = 0; i < 64; i++) data[i] = i;
        data[5] = float.NaN;
        data[40] = float.PositiveInfinity;
        var notices = new List<string>();
        using var obs = ObservationInput.FromImage(new ImageData(data, 8, 8), null, "obs.fits", null, notices.Add);
        Assert.Single(notices);
        Assert.Contains("2 pixel(s) are NaN", notices[0]);
        Assert.Contains("treated as masked", notices[0]);
        Assert.Equal(2, obs.NanCount);
        var mask = obs.Mask.Reshape(-1).ToDoubleArray();
        var values = obs.Values.Reshape(-1).ToDoubleArray();
        Assert.Equal(0, mask[5]);
        Assert.Equal(0, mask[40]);
        Assert.Equal(62, mask.Sum());
        Assert.Equal(0, values[5]);
        Assert.Equal(7, values[7]);
        var all = Assert.Throws<UserInputException>(() => ObservationInput.FromImage(new ImageData(Enumerable.Repeat(float.NaN, 4).ToArray(), 2, 2), null, "nan.fits"));
        Assert.Contains("every pixel", all.Message);
    }

    [Fact]
    public void ANonLinearNormalisationIsRefused()
    {
        var asinh = Normalization.FromConfig(new NormalizationConfig { Kind = "asinh", Low = [-1.0], High = [5.0] });
        var e = Assert.Throws<UserInputException>(() => PriorUnits.FromNormalization(asinh, 1));
        Assert.Contains("not linear", e.Message);
        Assert.Contains("retrain the prior with clip", e.Message);
        var perImage = Normalization.FromConfig(new NormalizationConfig { Kind = "minmax-image", Low = [0.0], High = [1.0] });
        var image = Assert.Throws<UserInputException>(() => PriorUnits.FromNormalization(perImage, 1, "noise model"));
        Assert.Contains("not the same for every pixel", image.Message);
        Assert.Contains("retrain the noise model", image.Message);
        var ok = PriorUnits.FromNormalization(Normalization.FromConfig(new NormalizationConfig { Kind = "clip", High = [5.0] }), 1);
        Assert.Equal(2.5, ok.Scale[0], 12);
        Assert.Equal(2.5, ok.Offset[0], 12);
        var wrong = Assert.Throws<UserInputException>(() => PriorUnits.FromNormalization(Normalization.FromConfig(new NormalizationConfig { Kind = "clip", High = [5.0] }), 3));
        Assert.Contains("1 channel(s) but the data has 3", wrong.Message);
    }

    [Fact]
    public void TheLikelihoodNeedsANoiseDescription()
    {
        using var prior = LinearGaussianSetup.Prior(new VpSde());
        using var obs = ObservationInput.FromImage(new ImageData(new float[64], 8, 8), null, "obs.fits");
        var model = new PriorModel(prior, prior.Sde, [1, 8, 8], PriorUnits.Identity(1), "gaussian");
        var e = Assert.Throws<InvalidSettingException>(() => InverseProblemBuilder.Build(new ProblemSpec { Exposures = [new ExposureSpec { Observation = obs }] }, model, Device.CPU));
        Assert.Equal("sigma", e.Parameter);
        Assert.Contains("noise model", e.Message);
    }
}
