using Scorpio.Astro;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class PsfTests
{
    /// <summary>FWHM along the x axis through the peak: linear interpolation of the half-maximum
    /// crossing on both sides (error ~1% for FWHM ~ 5 px, from interpolating a curved profile).</summary>
    internal static double MeasureFwhm(ImageData psf)
    {
        int s = psf.Width, c = s / 2;
        double peak = psf[c, c], half = peak / 2;
        double Crossing(int dir)
        {
            for (int k = 1; c + dir * k >= 0 && c + dir * k < s; k++)
            {
                double a = psf[c, c + dir * (k - 1)], b = psf[c, c + dir * k];
                if (b <= half) return k - 1 + (a - half) / (a - b);
            }
            return double.NaN;
        }
        return Crossing(1) + Crossing(-1);
    }

    // Every model sums to 1 (normalised over the stamp) and its measured FWHM is within 3% of the
    // request: point sampling (supersample 1) at FWHM 5 px leaves only interpolation error (~1%).
    [Theory]
    [InlineData(PsfModel.Gaussian, 5.0)]
    [InlineData(PsfModel.Moffat, 5.0)]
    [InlineData(PsfModel.Airy, 5.0)]
    [InlineData(PsfModel.Gaussian, 8.0)]
    [InlineData(PsfModel.Moffat, 8.0)]
    [InlineData(PsfModel.Airy, 8.0)]
    public void PsfSumsToOneAndHasRequestedFwhm(PsfModel model, double fwhm)
    {
        var psf = PsfSimulator.Create(model, fwhm, 51);
        Assert.Equal(new[] { 51, 51 }, psf.Shape);
        Assert.Equal(1.0, psf.Data.Sum(v => (double)v), 5);
        double measured = MeasureFwhm(psf);
        Assert.True(Math.Abs(measured / fwhm - 1) < 0.03, $"{model}: measured FWHM {measured:F3} for requested {fwhm}");
    }

    // Supersampling integrates over pixels: still sums to 1, symmetric, and the FWHM grows only
    // slightly (a 1-px box adds ~1/12 px^2 of variance: < 3% at FWHM 5).
    [Theory]
    [InlineData(PsfModel.Gaussian)]
    [InlineData(PsfModel.Moffat)]
    [InlineData(PsfModel.Airy)]
    public void SupersampledPsfIsNormalisedAndSymmetric(PsfModel model)
    {
        var psf = PsfSimulator.Create(model, 5, 31, supersample: 5);
        Assert.Equal(1.0, psf.Data.Sum(v => (double)v), 5);
        for (int y = 0; y < 31; y++)
            for (int x = 0; x < 31; x++)
                Assert.Equal(psf[y, x], psf[30 - y, 30 - x], 6);
        double measured = MeasureFwhm(psf);
        Assert.InRange(measured, 5.0, 5.15);
    }

    // The Airy pattern's first dark ring sits at 1.22 lambda/D = 1.22/1.029 FWHM = 11.86 px for FWHM 10:
    // the profile along x has its minimum between pixels 11 and 13, far below 1% of the peak.
    [Fact]
    public void AiryHasFirstDarkRingWhereDiffractionPutsIt()
    {
        var psf = PsfSimulator.Create(PsfModel.Airy, 10, 41);
        int c = 20;
        var profile = Enumerable.Range(0, 20).Select(k => psf[c, c + k]).ToArray();
        int minAt = Enumerable.Range(8, 8).OrderBy(k => profile[k]).First();
        Assert.InRange(minAt, 11, 13);
        Assert.True(profile[minAt] < 0.01 * profile[0]);
        Assert.True(profile[16] > profile[minAt] * 5, "a bright second ring follows the dark ring");
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheFix()
    {
        var e = Assert.Throws<InvalidSettingException>(() => PsfSimulator.Create(PsfModel.Gaussian, 3, 24));
        Assert.Contains("odd", e.Message);
        Assert.Contains("25", e.Message);
        Assert.Equal("size", e.Parameter);
        Assert.Equal("fwhm", Assert.Throws<InvalidSettingException>(() => PsfSimulator.Create(PsfModel.Gaussian, -1, 25)).Parameter);
        Assert.Equal("beta", Assert.Throws<InvalidSettingException>(() => PsfSimulator.Create(PsfModel.Moffat, 3, 25, beta: 0.5)).Parameter);
    }
}
