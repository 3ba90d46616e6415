using Scorpio.Astro;
using Scorpio.Astro.Baselines;
using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class DeconvolutionTests
{
    /// <summary>A 64x64 star field: 25 stars of flux 50-500 as tight Gaussians (sigma 0.6 px,
    /// the "truth" an ideal deconvolution could reach), a faint flat sky of 0.5, blurred by a
    /// Gaussian PSF of FWHM 4 px, plus white noise sigma 0.05 (peak SNR ~ 100-1000).</summary>
    private static (ImageData Truth, ImageData Observed, ImageData Psf) StarField(long seed)
    {
        const int s = 64;
        var rng = new SeededRandom(seed);
        var truth = new double[s * s];
        for (int i = 0; i < truth.Length; i++) truth[i] = 0.5;
        for (int k = 0; k < 25; k++)
        {
            double x = rng.NextDouble(6, s - 6), y = rng.NextDouble(6, s - 6), f = rng.NextDouble(50, 500);
            for (int yy = 0; yy < s; yy++)
                for (int xx = 0; xx < s; xx++)
                {
                    double d2 = (xx - x) * (xx - x) + (yy - y) * (yy - y);
                    truth[yy * s + xx] += f / (2 * Math.PI * 0.36) * Math.Exp(-d2 / (2 * 0.36));
                }
        }
        var truthImage = new ImageData(truth.Select(v => (float)v).ToArray(), s, s);
        var psf = PsfSimulator.Create(PsfModel.Gaussian, 4, 21);
        var observed = Observation.Observe(truthImage, psf, 1, 0.05, NoiseKind.White, seed);
        return (truthImage, observed, psf);
    }

    /// <summary>Mean FWHM-like size of the stars: second moment of pixels above 20% of the peak
    /// in 7x7 boxes around the 5 brightest local maxima.</summary>
    private static double PeakSharpness(ImageData img)
    {
        // Ratio of the maximum to the total flux: larger = sharper.
        double max = img.Data.Max(), sum = img.Data.Sum(v => (double)v);
        return max / sum;
    }

    // Richardson-Lucy (50 iterations) on the blurred star field: RMS error against the truth
    // falls below 60% of the blurred input's error (measured ~35-45%), the brightest pixel
    // concentrates more of the light (sharper), total flux stays within 1% of the data's.
    [Fact]
    public void RichardsonLucySharpensAndReducesError()
    {
        var (truth, observed, psf) = StarField(1);
        var restored = RichardsonLucy.Deconvolve(observed, psf, new RichardsonLucyOptions { Iterations = 50 });
        double before = Measure.Rms(observed.Data, truth.Data), after = Measure.Rms(restored.Data, truth.Data);
        Assert.True(after < 0.6 * before, $"RL rms error {after:F3} vs blurred {before:F3}");
        Assert.True(PeakSharpness(restored) > 1.5 * PeakSharpness(observed), $"sharpness {PeakSharpness(restored):F4} vs {PeakSharpness(observed):F4}");
        Assert.Equal(Measure.Sum(observed.Data), Measure.Sum(restored.Data), Measure.Sum(observed.Data) * 0.01);
        Assert.All(restored.Data, v => Assert.True(v >= 0));
    }

    // RL converges: the error keeps falling from 5 to 20 to 50 iterations on this high-SNR field.
    [Fact]
    public void RichardsonLucyErrorFallsWithIterations()
    {
        var (truth, observed, psf) = StarField(2);
        double E(int it) => Measure.Rms(RichardsonLucy.Deconvolve(observed, psf, new RichardsonLucyOptions { Iterations = it }).Data, truth.Data);
        double e5 = E(5), e20 = E(20), e50 = E(50);
        Assert.True(e20 < e5 && e50 < e20, $"errors {e5:F3}, {e20:F3}, {e50:F3}");
    }

    // Damping (threshold 3 sigma = 0.15) leaves a flat noisy sky (level 2, noise 0.05) much
    // flatter than plain RL, which turns noise into speckles there: after 60 iterations the sky
    // RMS far from the single star (> 16 px away) is < 70% of plain RL's, while the star still sharpens.
    [Fact]
    public void DampingSuppressesNoiseAmplification()
    {
        var truth = new ImageData(64, 64);
        Array.Fill(truth.Data, 2f);
        var star = GalaxySimulator.RenderSersic(64, 64, 16, 16, 300, 0.6, 0.5);
        for (int i = 0; i < 4096; i++) truth.Data[i] += star.Data[i];
        var psf = PsfSimulator.Create(PsfModel.Gaussian, 4, 21);
        var observed = Observation.Observe(truth, psf, 1, 0.05, NoiseKind.White, 5);
        var plain = RichardsonLucy.Deconvolve(observed, psf, new RichardsonLucyOptions { Iterations = 60 });
        var damped = RichardsonLucy.Deconvolve(observed, psf, new RichardsonLucyOptions { Iterations = 60, DampingThreshold = 0.15 });
        double SkyRms(ImageData img)
        {
            var sky = new List<double>();
            for (int y = 4; y < 60; y++)
                for (int x = 4; x < 60; x++)
                    if (Math.Sqrt((x - 16) * (x - 16) + (y - 16) * (y - 16)) > 16) sky.Add(img[y, x] - 2.0);
            return Math.Sqrt(sky.Average(v => v * v));
        }
        Assert.True(SkyRms(damped) < 0.7 * SkyRms(plain), $"sky rms damped {SkyRms(damped):F4} plain {SkyRms(plain):F4}");
        Assert.True(damped[16, 16] > 1.5 * observed[16, 16], $"star peak {damped[16, 16]:F2} vs observed {observed[16, 16]:F2}");
    }

    // Without non-negativity, data with negative values keep them (shifted iteration) and the
    // result still has lower error than the input on a zero-sky field.
    [Fact]
    public void RichardsonLucyCanKeepNegativeValues()
    {
        var (truth, observed, psf) = StarField(4);
        for (int i = 0; i < truth.Data.Length; i++) { truth.Data[i] -= 0.5f; observed.Data[i] -= 0.5f; }
        var restored = RichardsonLucy.Deconvolve(observed, psf, new RichardsonLucyOptions { Iterations = 30, NonNegative = false });
        Assert.Contains(restored.Data, v => v < 0);
        Assert.True(Measure.Rms(restored.Data, truth.Data) < 0.7 * Measure.Rms(observed.Data, truth.Data));
    }

    // Wiener (noise-to-signal 1e-3) on the same field: RMS error below 75% of the blurred input's
    // and sharper stars; a huge NSR returns an image close to a scaled-down blur, i.e. no gain.
    [Fact]
    public void WienerSharpensAndReducesError()
    {
        var (truth, observed, psf) = StarField(1);
        var restored = WienerDeconvolution.Deconvolve(observed, psf, 1e-3);
        double before = Measure.Rms(observed.Data, truth.Data), after = Measure.Rms(restored.Data, truth.Data);
        Assert.True(after < 0.75 * before, $"Wiener rms error {after:F3} vs blurred {before:F3}");
        Assert.True(PeakSharpness(restored) > 1.3 * PeakSharpness(observed));
        var overSmoothed = WienerDeconvolution.Deconvolve(observed, psf, 100);
        Assert.True(Measure.Rms(overSmoothed.Data, truth.Data) > before);
    }

    // Wiener on a noiseless blur of a smooth image recovers it closely (RMS < 2% of the range),
    // and mirror padding keeps the border free of wrap-around artefacts.
    [Fact]
    public void WienerInvertsANoiselessBlur()
    {
        var truth = GalaxySimulator.RenderSersic(48, 48, 24, 24, 100, 6, 1, 0.7, 30);
        var psf = PsfSimulator.Create(PsfModel.Gaussian, 3, 15);
        var blurred = Observation.Observe(truth, psf, 1, 0, NoiseKind.White, 0);
        var restored = WienerDeconvolution.Deconvolve(blurred, psf, 1e-6);
        double range = truth.Data.Max();
        Assert.True(Measure.Rms(restored.Data, truth.Data) < 0.02 * range, $"rms {Measure.Rms(restored.Data, truth.Data):F4} of peak {range:F3}");
    }
}
