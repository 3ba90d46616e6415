using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// SLIC against the Gaussian likelihood when the noise is not Gaussian: 1/f-like column stripes plus white read noise plus
/// positive cosmic-ray hits (<see cref="StripeCosmicRayNoise"/>), on 16x16 images with a Gaussian prior fitted to
/// smooth blobs, denoising (A = identity) as for JWST SOSS (Salhi et al. 2024).
/// </summary>
public class NonGaussianNoiseTests(ITestOutputHelper output)
{
    private static readonly long[] Shape = [1, 16, 16];

    internal static GaussianPriorScore Prior(Sde sde) => LinearGaussianSetup.BlobPrior(16, 0.6, 3.0, 0.09, 2.0, sde);

    /// <summary>
    /// Posterior medians (12 samples, Euler-Maruyama, 60 Karras steps) on 4 held-out simulations (stripes 0.3, white 0.03,
    /// 3% of pixels hit by N(2, 0.5^2) cosmic rays; image prior amplitude 0.3): SLIC with the exact noise score against the
    /// Gaussian likelihood with the noise's total standard deviation (0.46, the best a white Gaussian can do). Measured pixel
    /// RMS errors: observation 0.40-0.57, Gaussian median 0.17-0.27, SLIC median 0.10-0.16 (ratios 0.48-0.64, mean 0.59).
    /// SLIC cannot reach the white-noise floor because a column offset is partly degenerate with the image's own column
    /// average under this prior. Stated requirement: SLIC's error below the Gaussian's on every simulation by at least 15%
    /// (ratio &lt; 0.85) and by 20% on average (mean ratio &lt; 0.8).
    /// </summary>
    [Fact]
    public void SlicMedianBeatsTheGaussianLikelihoodOnStripesAndCosmicRays()
    {
        torch.NumThreads = 2;
        var sde = new VpSde();
        using var prior = Prior(sde);
        var noise = new StripeCosmicRayNoise(Shape);
        using var op = new IdentityOperator(Shape);
        using var rng = new Generator(21);
        using var truths = prior.Draw(4, rng);
        using var etas = noise.Draw(4, rng);
        using var observations = truths.Add(etas);
        var sampler = SamplerRegistry.Get("euler-maruyama");
        var options = new SamplerOptions { Steps = 60, Grid = "karras" };
        var ratios = new List<double>();
        for (int k = 0; k < 4; k++)
        {
            using var scope = torch.NewDisposeScope();
            var y = observations.Select(0, k);
            var truth = truths.Select(0, k);
            using var slic = new SlicLikelihood(op, y, noise, sde);
            using var gaussian = new GaussianLikelihood(op, y, GaussianNoise.White(noise.TotalSigma), sde);
            using var g1 = new Generator(100 + (ulong)k);
            using var g2 = new Generator(100 + (ulong)k);
            var slicSamples = SamplerRegistry.Generate(sampler, new PosteriorScore(prior, slic), sde, [12, .. Shape], g1, options);
            var gaussSamples = SamplerRegistry.Generate(sampler, new PosteriorScore(prior, gaussian), sde, [12, .. Shape], g2, options);
            double Rms(Tensor samples) => samples.Quantile(0.5, 0).Sub(truth).Square().Mean().Sqrt().ToDouble();
            double eSlic = Rms(slicSamples), eGauss = Rms(gaussSamples), eObs = y.Sub(truth).Square().Mean().Sqrt().ToDouble();
            output.WriteLine($"simulation {k}: RMS error observation {eObs:F4}, Gaussian median {eGauss:F4}, SLIC median {eSlic:F4} (ratio {eSlic / eGauss:F2})");
            ratios.Add(eSlic / eGauss);
        }
        Assert.True(ratios.Max() < 0.85, $"SLIC's error is {ratios.Max():P0} of the Gaussian likelihood's on the worst simulation");
        Assert.True(ratios.Average() < 0.8, $"SLIC's error is {ratios.Average():P0} of the Gaussian likelihood's on average");
    }

    /// <summary>The analytic noise score is the gradient of its log density: central differences of log q along a random direction (float64).</summary>
    [Fact]
    public void StripeNoiseScoreIsTheGradientOfItsLogDensity()
    {
        torch.NumThreads = 2;
        using var scope = torch.NewDisposeScope();
        var noise = new StripeCosmicRayNoise([1, 4, 3], stripe: 0.15, white: 0.05, rate: 0.03, rayMean: 1.0, raySigma: 0.3);
        using var rng = new Generator(5);
        var v = noise.Draw(1, rng).To(DType.Float64);
        var d = torch.Randn([1, 1, 4, 3], rng, DType.Float64);
        double mu = 0.9, sigma = 0.1, h = 1e-5;
        // log q by brute force: quadrature over the stripe of the product of mixtures (same model, written directly).
        double LogQ(Tensor x)
        {
            var a = x.ToDoubleArray();
            double var0 = mu * mu * 0.05 * 0.05 + sigma * sigma, var1 = mu * mu * (0.05 * 0.05 + 0.09) + sigma * sigma;
            double total = 0;
            for (int col = 0; col < 3; col++)
            {
                double acc = 0;
                for (int k = 0; k < 4001; k++)
                {
                    double c = -0.9 + 1.8 * k / 4000, wgt = Math.Exp(-0.5 * c * c / 0.0225) / Math.Sqrt(2 * Math.PI * 0.0225) * 1.8 / 4000;
                    double prod = 1;
                    for (int row = 0; row < 4; row++)
                    {
                        double e = a[row * 3 + col] - mu * c;
                        prod *= 0.97 * Math.Exp(-0.5 * e * e / var0) / Math.Sqrt(2 * Math.PI * var0)
                              + 0.03 * Math.Exp(-0.5 * (e - mu) * (e - mu) / var1) / Math.Sqrt(2 * Math.PI * var1);
                    }
                    acc += wgt * prod;
                }
                total += Math.Log(acc);
            }
            return total;
        }
        double fd = (LogQ(v.Add(d, h)) - LogQ(v.Sub(d, h))) / (2 * h);
        double analytic = InverseTestUtil.Inner(noise.Score(v, mu, sigma), d);
        Assert.True(Math.Abs(fd - analytic) < 1e-3 * (Math.Abs(fd) + 1), $"finite difference {fd} vs score {analytic}");
    }
}
