using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Posterior;
using Scorpio.Tests;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// Inpainting a masked 4x4 block next to the centre of held-out simulated galaxies with the galaxy Gaussian prior
/// (<see cref="GalaxyGaussianPrior"/>), whose exact conditional p(x_masked | x_known) is known in closed form.
/// Measured on these galaxies (64 samples): the exact conditional sd of the masked flux is 3.9 (physical units);
/// plain replacement (start 0.95 T) gives a spread of 11.2 and a mean pulled towards the prior (e.g. 11.1 for a true 4.3,
/// conditional 5.1); RePaint with jump 10 and R = 5, 10, 20 gives spreads 7.3, 4.9, 5.0 and means converging to the conditional.
/// </summary>
public class InpaintingTests(ITestOutputHelper output)
{
    private static readonly VpSde Sde = new();

    internal static Tensor Mask()
    {
        var m = torch.Ones([1, 16, 16], DType.Float32);
        for (long r = 5; r < 9; r++)
            for (long c = 8; c < 12; c++)
                m.IndexPut_([torch.FromArray(new long[] { 0 }), torch.FromArray(new long[] { r }), torch.FromArray(new long[] { c })], torch.Zeros([1]));
        return m;
    }

    /// <summary>
    /// RePaint (R = 10, jump 10, 100 steps from 0.95 T, 24 samples) through <see cref="InpaintPipeline"/> on the 3 held-out
    /// galaxies (of 16) with the most flux in the mask, where the masked flux is large against the conditional spread.
    /// Stated: the median's masked flux within 20% of the truth (measured 1.3-13%; the exact Gaussian conditional mean itself is
    /// 10-21% off on these galaxies, so the bound is set by the prior, not the sampler), and the samples' mean within 2.5 conditional sd of the exact
    /// conditional mean (Monte Carlo 0.2 sd at 24 samples; the rest is RePaint's finite resampling, measured up to 1.7 sd on
    /// the brightest galaxy, where RePaint happens to land closer to the truth than the Gaussian conditional); known pixels
    /// equal the input.
    /// </summary>
    [Fact]
    public void RePaintRestoresTheMaskedFluxOfHeldOutGalaxies()
    {
        torch.NumThreads = 2;
        using var prior = new GalaxyGaussianPrior(Sde);
        using var all = GalaxyGaussianPrior.Galaxies(prior.Simulator, 16, 99);
        using var mask = Mask();
        var inside = mask.Eq(0.0);
        var masked = Enumerable.Range(0, 16).Select(k => all.Select(0, k).MaskedSelect(inside).Sum().ToDouble()).ToArray();
        var chosen = Enumerable.Range(0, 16).OrderByDescending(k => masked[k]).Take(3).ToArray();
        double conditionalSd = ConditionalFluxSd(prior, mask);
        foreach (int k in chosen)
        {
            using var scope = torch.NewDisposeScope();
            var truth = all.Select(0, k);
            using var obs = ObservationInput.FromImage(new ImageData(truth.ToArray<float>(), 1, 16, 16), null, $"galaxy {k}", mask);
            var dir = TestPaths.TempDir($"inpaint-{k}");
            var result = InpaintPipeline.Run(new InpaintRequest
            {
                Prior = prior.Model, Image = obs, Resample = 10, Steps = 100, Count = 24, Seed = 3 + k, OutDir = dir,
            });
            var median = torch.FromArray(Astro.Fits.FitsFile.Read(Path.Combine(dir, "median.fits")).Data, 1, 16, 16);
            var samples = torch.FromArray(Astro.Fits.FitsFile.Read(Path.Combine(dir, "samples.fits")).Data, 24, 1, 16, 16);
            double trueFlux = masked[k];
            double flux = median.MaskedSelect(inside).Sum().ToDouble();
            double meanFlux = samples.Mul(inside.To(DType.Float32)).Sum([1, 2, 3]).Mean().ToDouble();
            double conditional = ConditionalFlux(prior, truth, mask);
            output.WriteLine($"galaxy {k}: masked flux true {trueFlux:F2}, median {flux:F2} ({(flux - trueFlux) / trueFlux:P1}), sample mean {meanFlux:F2}, " +
                $"exact conditional {conditional:F2} +- {conditionalSd:F2}");
            Assert.True(Math.Abs(flux - trueFlux) < 0.2 * trueFlux, $"galaxy {k}: masked flux off by {(flux - trueFlux) / trueFlux:P1}");
            Assert.True(Math.Abs(meanFlux - conditional) < 2.5 * conditionalSd, $"galaxy {k}: mean {meanFlux:F2} vs conditional {conditional:F2}");
            var outside = mask.Ne(0.0);
            Assert.True(median.MaskedSelect(outside).Sub(truth.MaskedSelect(outside)).Abs().Max().ToDouble() < 1e-3 * truth.Abs().Max().ToDouble());
            Assert.Equal(new[] { "samples.fits", "median.fits", "preview.png", "summary.json" }, result.Files);
            Assert.Equal("repaint", result.Summary["method"]!.GetValue<string>());
        }
    }

    /// <summary>
    /// Replacement against RePaint on the faintest-centre galaxy of the set, 48 samples each: the spread of the masked flux
    /// must shrink towards the exact conditional sd with resampling (stated: RePaint R = 10 within [0.7, 1.8] conditional sd,
    /// replacement at least 1.3 times RePaint's spread) and RePaint's mean must be closer to the exact conditional mean.
    /// This documents why the CLI's --resample exists (replacement alone is astroddpm's cheaper default).
    /// </summary>
    [Fact]
    public void ResamplingPullsReplacementTowardsTheExactConditional()
    {
        torch.NumThreads = 2;
        using var prior = new GalaxyGaussianPrior(Sde);
        using var truths = GalaxyGaussianPrior.Galaxies(prior.Simulator, 1, 99);
        using var mask = Mask();
        var inside = mask.Eq(0.0).To(DType.Float32);
        var truth = truths.Select(0, 0);
        using var z = truth.Unsqueeze(0).Div(prior.Scale);
        double conditional = ConditionalFlux(prior, truth, mask), sd = ConditionalFluxSd(prior, mask);
        var grid = PosteriorGrids.Uniform(Sde, 0.95, 100);
        (double Mean, double Sd) Run(int resample)
        {
            using var rng = new Generator(1);
            using var s = Inpainting.Sample(prior.Score, Sde, grid, z, mask, 48, resample, rng);
            using var f = s.Mul(inside).Sum([1, 2, 3]).Mul(prior.Scale);
            return (f.Mean().ToDouble(), f.Std().ToDouble());
        }
        var replacement = Run(1);
        var repaint = Run(10);
        output.WriteLine($"conditional {conditional:F2} +- {sd:F2}; replacement {replacement.Mean:F2} +- {replacement.Sd:F2}; RePaint(10) {repaint.Mean:F2} +- {repaint.Sd:F2}");
        Assert.InRange(repaint.Sd / sd, 0.7, 1.8);
        Assert.True(replacement.Sd > 1.3 * repaint.Sd);
        Assert.True(Math.Abs(repaint.Mean - conditional) < Math.Abs(replacement.Mean - conditional));
    }

    /// <summary>E[x_masked | x_known] under the Gaussian prior, summed over the mask (physical units).</summary>
    internal static double ConditionalFlux(GalaxyGaussianPrior prior, Tensor truth, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var (u, o) = Split(mask);
        var c = prior.Score.Covariance;
        var mu = prior.Score.Mean;
        var z = truth.To(DType.Float64).Reshape(-1).Div(prior.Scale);
        var cuo = c.IndexSelect(0, u).IndexSelect(1, o);
        var coo = c.IndexSelect(0, o).IndexSelect(1, o);
        var delta = z.IndexSelect(0, o).Sub(mu.IndexSelect(0, o)).Unsqueeze(1);
        var cond = mu.IndexSelect(0, u).Add(cuo.Matmul(torch.Solve(coo, delta)).Squeeze(1));
        return cond.Sum().ToDouble() * prior.Scale;
    }

    /// <summary>Standard deviation of the masked flux under p(x_masked | x_known) (physical units; independent of the known values).</summary>
    internal static double ConditionalFluxSd(GalaxyGaussianPrior prior, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var (u, o) = Split(mask);
        var c = prior.Score.Covariance;
        var cuu = c.IndexSelect(0, u).IndexSelect(1, u);
        var cuo = c.IndexSelect(0, u).IndexSelect(1, o);
        var coo = c.IndexSelect(0, o).IndexSelect(1, o);
        var cond = cuu.Sub(cuo.Matmul(torch.Solve(coo, cuo.MT)));
        return Math.Sqrt(cond.Sum().ToDouble()) * prior.Scale;
    }

    private static (Tensor Unknown, Tensor Known) Split(Tensor mask)
    {
        var m = mask.Reshape(-1).ToDoubleArray();
        return (torch.FromArray(Enumerable.Range(0, m.Length).Where(i => m[i] == 0).Select(i => (long)i).ToArray()),
                torch.FromArray(Enumerable.Range(0, m.Length).Where(i => m[i] != 0).Select(i => (long)i).ToArray()));
    }
}
