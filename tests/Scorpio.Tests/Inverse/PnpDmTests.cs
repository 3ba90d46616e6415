using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Torch;
using Xunit.Abstractions;
using static Scorpio.Tests.Inverse.LinearGaussianSetup;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// PnP-DM (split Gibbs with the diffusion prior) against closed forms in the linear-Gaussian setup (8x8 images, the blob
/// prior with its analytic score, noise sigma 0.05): the likelihood step's draws against the exact Gaussian conditional for
/// white, masked per-pixel and dense noise; the chains' output against the closed-form posterior; the coverage of
/// simulated truths. The EDM SDE is used (smallest noise level 0.002, so the rho_min floor, 1.5 times that, stays below the
/// automatic rho_min).
/// </summary>
public class PnpDmTests(ITestOutputHelper output)
{
    private const double NoiseSigma = 0.05;
    private static readonly EdmSde Sde = new();

    /// <summary>(A^T Sigma^-1 A + I / rho^2)^-1 and its mean for centre z: the exact x | z, y.</summary>
    private static (Tensor Mean, Tensor Covariance) Conditional(Tensor a, Tensor precision, Tensor y, Tensor z, double rho)
    {
        using var scope = torch.NewDisposeScope();
        long n = a.Size(1);
        var p = a.MT.Matmul(precision).Matmul(a).Add(torch.Eye(n, DType.Float64).Div(rho * rho));
        var cov = torch.Inverse(p);
        var rhs = a.MT.Matmul(precision).Matmul(y.Reshape(-1, 1)).Add(z.Reshape(-1, 1).Div(rho * rho));
        var mean = cov.Matmul(rhs).Reshape(-1);
        return (mean.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope());
    }

    private static Tensor DenseMatrix(ForwardOperator op)
    {
        using var eye = torch.Eye(op.InputSize, DType.Float64).Reshape([op.InputSize, .. op.InputShape]);
        using var cols = op.Apply(eye).Reshape(op.InputSize, -1);
        return cols.MT.Contiguous();
    }

    /// <summary>
    /// Perturbation-optimisation gives exact draws of x | z, y for every noise form (PSF + 2x2 pooling, 16 observed pixels,
    /// rho = 0.1, 4000 draws): meanZ &lt; 0.2 (Monte Carlo max over 64 pixels ~0.05), whitened variance 1 +- 0.03 (Monte Carlo
    /// sd sqrt(2 / (64 * 4000)) = 0.003) and flux variance 1 +- 0.1 (sd 0.02). Dense noise: an AR(1)-correlated covariance
    /// (correlation 0.6 between neighbouring observed pixels in raster order); per pixel: sigma from 0.03 to 0.08 with two
    /// masked pixels.
    /// </summary>
    [Theory]
    [InlineData("white")]
    [InlineData("per-pixel")]
    [InlineData("dense")]
    public void LikelihoodStepDrawsTheExactGaussianConditional(string kind)
    {
        torch.NumThreads = 2;
        using var scope = torch.NewDisposeScope();
        using var op = LinearGaussianSetup.Operator("psf+pool");
        long m = op.OutputSize;
        var a = DenseMatrix(op);
        var y = InverseTestUtil.Randn([1, .. op.OutputShape], 3).Mul(0.3);
        var z = InverseTestUtil.Randn([1, 1, 8, 8], 4).Mul(0.5);
        GaussianNoise noise;
        Tensor precision;
        if (kind == "white")
        {
            noise = GaussianNoise.White(NoiseSigma);
            precision = torch.Eye(m, DType.Float64).Div(NoiseSigma * NoiseSigma);
        }
        else if (kind == "per-pixel")
        {
            var sigma = torch.Linspace(0.03, 0.08, m, DType.Float64).Reshape(op.OutputShape);
            var mask = torch.FromArray(Enumerable.Range(0, (int)m).Select(i => i is 5 or 6 ? 0.0 : 1.0).ToArray(), op.OutputShape);
            noise = GaussianNoise.PerPixel(sigma, mask);
            precision = torch.DiagEmbed(mask.Reshape(-1).Div(sigma.Reshape(-1).Square()));
        }
        else
        {
            var idx = torch.Arange(0, m, 1, DType.Float64);
            var lag = idx.Unsqueeze(1).Sub(idx.Unsqueeze(0)).Abs();
            var cov = lag.Mul(Math.Log(0.6)).Exp().Mul(NoiseSigma * NoiseSigma);
            noise = GaussianNoise.Dense(cov);
            precision = torch.Inverse(cov);
        }
        using (noise)
        using (var step = new GaussianProximalDraw(op, y.Squeeze(0), noise))
        {
            const double rho = 0.1;
            var (mean, covariance) = Conditional(a, precision, y, z, rho);
            using var rng = new Generator(5);
            var draws = step.Draw(z.Expand([4000, 1, 8, 8]).Contiguous(), rho, rng);
            var (meanZ, white, flux) = Compare(draws, mean, covariance);
            output.WriteLine($"{kind} ({step.Form}): meanZ {meanZ:F3} whitened {white:F4} flux {flux:F3}");
            Assert.True(meanZ < 0.2, $"mean off by {meanZ:F3} sd");
            Assert.InRange(white, 0.97, 1.03);
            Assert.InRange(flux, 0.9, 1.1);
        }
    }

    /// <summary>
    /// The conjugate-gradient form (fixed 30 iterations, Fourier-preconditioned, no host reads) gives the dense form's draw
    /// from the same random numbers: PSF on 8x8 (64 observed pixels), rho = 1 (condition number 1 + rho^2 lambda_max ~ 400, the
    /// hardest of a run's couplings after the first few), largest difference below 1e-3 of the conditional's smallest sd.
    /// </summary>
    [Fact]
    public void ConjugateGradientLikelihoodStepMatchesTheDenseOne()
    {
        torch.NumThreads = 2;
        using var scope = torch.NewDisposeScope();
        using var op = LinearGaussianSetup.Operator("psf");
        var y = InverseTestUtil.Randn([.. op.OutputShape], 3).Mul(0.3);
        var z = InverseTestUtil.Randn([16, 1, 8, 8], 4).Mul(0.5);
        using var noise = GaussianNoise.White(NoiseSigma);
        using var dense = new GaussianProximalDraw(op, y, noise, CovarianceForm.Dense);
        using var cg = new GaussianProximalDraw(op, y, noise, CovarianceForm.ConjugateGradient, cgIterations: 30);
        const double rho = 1.0;
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        var a = dense.Draw(z, rho, g1);
        var b = cg.Draw(z, rho, g2);
        double sd = 1 / Math.Sqrt(dense.LargestDataPrecision() + 1 / (rho * rho));
        double diff = InverseTestUtil.MaxAbsDiff(a, b);
        output.WriteLine($"cg vs dense: max |diff| {diff:E2} = {diff / sd:E2} of the smallest conditional sd {sd:F4}");
        Assert.True(diff < 1e-3 * sd);
    }

    /// <summary>
    /// The chains (300, one observation) against the closed-form posterior, with the method's defaults (rho from 10 down to
    /// the automatic rho_min by 0.9 per iteration, 100 final iterations, 30-point base grid): ~1,100 evaluations per chain.
    /// Monte Carlo at N = 300: meanZ max over 64 pixels ~0.19, whitened variance sd 0.01, flux variance sd 0.08. Bounds:
    /// meanZ &lt; 0.3, whitened variance in [0.95, 1.05] (the target of issue 14; measured 1.020 identity, 1.024 psf+pool at
    /// N = 400: the 2% widening of the best-measured directions by rho_min, and the prior step's exact-in-the-flat-limit noise
    /// being slightly generous where the prior is sharp), flux variance in [0.75, 1.3].
    /// </summary>
    [Theory]
    [InlineData("identity")]
    [InlineData("psf+pool")]
    public void PnpDmMatchesTheClosedFormPosterior(string opName)
    {
        torch.NumThreads = 2;
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var op = LinearGaussianSetup.Operator(opName);
        var (truth, y) = Observe(prior, op, NoiseSigma, 7);
        using var _t = truth;
        using var _y = y;
        using var problem = new LinearGaussianProblem(prior, op, y, NoiseSigma);
        using var noise = GaussianNoise.White(NoiseSigma);
        using var step = new GaussianProximalDraw(op, y, noise);
        var settings = new PnpDmSettings();
        double lambda = step.LargestDataPrecision();
        double rhoMin = settings.FinalRho(Sde, lambda);
        var rhos = PnpDmSampler.Schedule(settings.RhoStart, rhoMin, settings.RhoDecay, settings.FinalIterations);
        using var rng = new Generator(11);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var samples = PnpDmSampler.Sample(prior, Sde, (z, _, rho) => step.Draw(z, rho, rng), [300, 1, 8, 8], rhos, PnpDmPosteriorMethod.DefaultGridPoints, rng);
        var (meanZ, white, flux) = Compare(samples, problem.PosteriorMean, problem.PosteriorCovariance);
        output.WriteLine($"{opName}: rho_min {rhoMin:F4} ({rhos.Length} iterations, {PnpDmSampler.Evaluations(Sde, rhos, PnpDmPosteriorMethod.DefaultGridPoints)} evaluations/chain), " +
            $"meanZ {meanZ:F3} whitened {white:F3} flux {flux:F3}, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(meanZ < 0.3);
        Assert.InRange(white, 0.95, 1.05);
        Assert.InRange(flux, 0.75, 1.3);
    }

    /// <summary>
    /// Coverage of simulated truths: 60 truths drawn from the prior, observed through PSF + 2x2 pooling, 9 chains each (one
    /// batch of 540 chains, each with its own observation), default settings. The truth's rank among its 9 samples is
    /// uniform on 0..9 for a calibrated sampler; the coverage of the central p interval counts the ranks inside the central
    /// p of that uniform (boundary ranks fractionally), so its expectation is exactly p. Monte Carlo sd over 3,840
    /// correlated pixel truths ~0.012-0.018: bounds +-0.04 at 50, 68 and 95% (measured with 200 truths: 0.501, 0.678, 0.948;
    /// with 100: 0.499, 0.678, 0.949; with these 60: 0.495, 0.675, 0.948).
    /// </summary>
    [Fact]
    public void PnpDmCoversSimulatedTruthsAtTheNominalRate()
    {
        torch.NumThreads = 2;
        const int sims = 60, perSim = 9;
        using var scope = torch.NewDisposeScope();
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var op = LinearGaussianSetup.Operator("psf+pool");
        using var rng = new Generator(21);
        var truths = prior.Draw(sims, rng).To(DType.Float64);
        var clean = op.Apply(truths);
        var ys = clean.Add(torch.RandnLike(clean, rng), NoiseSigma);
        var batchY = ys.Unsqueeze(1).Expand([sims, perSim, .. op.OutputShape]).Reshape([sims * perSim, .. op.OutputShape]);
        using var noise = GaussianNoise.White(NoiseSigma);
        using var step = new GaussianProximalDraw(op, batchY, noise);   // item k conditioned on its own y
        var settings = new PnpDmSettings();
        double rhoMin = settings.FinalRho(Sde, step.LargestDataPrecision());
        var rhos = PnpDmSampler.Schedule(settings.RhoStart, rhoMin, settings.RhoDecay, settings.FinalIterations);
        var samples = PnpDmSampler.Sample(prior, Sde, (z, _, rho) => step.Draw(z, rho, rng), [sims * perSim, 1, 8, 8], rhos,
            PnpDmPosteriorMethod.DefaultGridPoints, rng);
        var below = samples.To(DType.Float64).Reshape(sims, perSim, -1).Lt(truths.Reshape(sims, 1, -1)).To(DType.Float64).Sum([1]);
        var ranks = below.Reshape(-1).ToDoubleArray();
        foreach (double level in new[] { 0.5, 0.68, 0.95 })
        {
            double coverage = Scorpio.Metrics.Posterior.RankCoverage.Fraction(ranks, perSim, level);
            output.WriteLine($"coverage at {level:P0}: {coverage:F3}");
            Assert.InRange(coverage, level - 0.04, level + 0.04);
        }
    }

    /// <summary>
    /// pnp-dm through <see cref="PosteriorPipeline"/> (PSF + 2x2 pooling, a NaN pixel, affine prior units x = 2 z + 0.5, a
    /// short schedule): summary.json records the schedule, the evaluations per sample (the sum of the prior steps' grid
    /// lengths) and the effective sample size over the chains; the seed rule holds: batches of 1 and 3 give the same samples
    /// bitwise (sample k's chain draws only from (seed, k)).
    /// </summary>
    [Fact]
    public void PnpDmRunsThroughThePipelineWithTheSeedRuleAndReportsItsEffectiveSampleSize()
    {
        torch.NumThreads = 2;
        using var scope = torch.NewDisposeScope();
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var psf = Psf.FromModel(Scorpio.Astro.Simulation.PsfModel.Gaussian, 2.0, 5);
        var data = Enumerable.Range(0, 16).Select(i => i == 5 ? float.NaN : 0.6f + 0.05f * (i % 4)).ToArray();
        using var obs = ObservationInput.FromImage(new Scorpio.Astro.ImageData(data, 4, 4), null, "obs.fits");
        using var built = InverseProblemBuilder.Build(new ProblemSpec { Exposures = [new ExposureSpec { Observation = obs, Psf = psf, Pool = 2, Sigma = 0.1 }] },
            new PriorModel(prior, Sde, [1, 8, 8], new PriorUnits([2.0], [0.5]), "gaussian 8x8"), Device.CPU);
        var settings = new PosteriorSettings { Steps = 10, PnpDm = new PnpDmSettings { RhoStart = 1, FinalIterations = 8 } };
        float[] Run(int batch, out System.Text.Json.Nodes.JsonObject summary)
        {
            var dir = TestPaths.TempDir("pnpdm");
            var result = PosteriorPipeline.Run(new PosteriorRequest { Problem = built, Method = "pnp-dm", Settings = settings, Count = 3, BatchSize = batch, PriorCount = 0, Seed = 8, OutDir = dir });
            summary = result.Summary;
            return Scorpio.Astro.Fits.FitsFile.Read(Path.Combine(dir, "samples.fits")).Data;
        }
        var one = Run(1, out var json);
        var three = Run(3, out _);
        Assert.Equal(one, three);
        var method = json["posterior_method"]!;
        var rhos = PnpDmSampler.Schedule(1, method["rho_min"]!.GetValue<double>(), 0.9, 8);
        Assert.Equal(rhos.Length, method["iterations"]!.GetValue<int>());
        Assert.Equal(PnpDmSampler.Evaluations(Sde, rhos, 10), method["evaluations_per_sample"]!.GetValue<long>());
        Assert.Equal("dense", method["likelihood_step"]!.GetValue<string>());
        var ess = json["posterior_diagnostics"]!["effective_sample_size"]!;
        output.WriteLine($"rho_min {method["rho_min"]}, widening {method["noise_widening"]}, ESS {ess.ToJsonString()}");
        Assert.Equal(3, ess["chains"]!.GetValue<int>());
        Assert.Equal(8, ess["draws_per_chain"]!.GetValue<int>());
        Assert.InRange(ess["min"]!.GetValue<double>(), 0.1, 3 * 8 * Math.Log10(24));
    }

    /// <summary>
    /// SLIC with a noise model that is exactly Gaussian (the analytic noise score of white noise, sigma 0.05), so the posterior is
    /// the closed form: PSF + 2x2 pooling, 120 chains or samples. pnp-dm with its Langevin likelihood step on the noise score
    /// (20 steps, gamma 0.1, the coupling integrated exactly) against the score method with the SLIC likelihood score
    /// (Euler-Maruyama, 200 Karras steps, which here is the convolved Gaussian likelihood and inherits its bias). Bounds for
    /// pnp-dm: meanZ &lt; 0.4 (Monte Carlo max over 64 pixels ~0.3 at N = 120), whitened variance in [0.92, 1.08] (Monte Carlo
    /// sd 0.016), flux variance in [0.6, 1.5] (sd 0.13); measured at N = 200: 0.191, 1.022, 1.153. The score method's bounds
    /// are the convolved likelihood's (meanZ &lt; 0.8, whitened variance in [0.7, 1.15]); measured at N = 200: meanZ 0.455 (its
    /// mean is pulled towards y), whitened 0.985, flux 0.972. The finite-difference curvature equals lambda_max(A^T Sigma^-1 A) = 81.47 to 1%.
    /// </summary>
    [Fact]
    public void SlicPnpDmWithALangevinLikelihoodStepMatchesTheClosedFormForGaussianNoise()
    {
        torch.NumThreads = 2;
        using var prior = LinearGaussianSetup.Prior(Sde);
        using var op = LinearGaussianSetup.Operator("psf+pool");
        var (truth, y) = Observe(prior, op, NoiseSigma, 7);
        using var _t = truth;
        using var _y = y;
        using var problem = new LinearGaussianProblem(prior, op, y, NoiseSigma);
        using var white = GaussianNoise.White(NoiseSigma);
        using var noiseScore = new GaussianNoiseScore(op, white);
        using var step = new NoiseScoreLangevinDraw(op, y, noiseScore, null);
        using var exact = new GaussianProximalDraw(op, y, white);
        double lambda = step.LargestDataPrecision, reference = exact.LargestDataPrecision();
        var settings = new PnpDmSettings();
        double rhoMin = settings.FinalRho(Sde, lambda);
        var rhos = PnpDmSampler.Schedule(settings.RhoStart, rhoMin, settings.RhoDecay, settings.FinalIterations);
        using var rng = new Generator(17);
        using var samples = PnpDmSampler.Sample(prior, Sde, (z, x, rho) => step.Draw(z, x, rho, rng), [120, 1, 8, 8], rhos, PnpDmPosteriorMethod.DefaultGridPoints, rng);
        var (meanZ, whitened, flux) = Compare(samples, problem.PosteriorMean, problem.PosteriorCovariance);
        output.WriteLine($"curvature by finite differences {lambda:F2} vs exact {reference:F2}; pnp-dm langevin: meanZ {meanZ:F3} whitened {whitened:F3} flux {flux:F3}");

        using var slic = new SlicLikelihood(op, y, noiseScore, Sde);
        using var rng2 = new Generator(18);
        using var scored = Scorpio.Sampling.SamplerRegistry.Generate(Scorpio.Sampling.SamplerRegistry.Get("euler-maruyama"), new PosteriorScore(prior, slic), Sde,
            [120, 1, 8, 8], rng2, new Scorpio.Sampling.SamplerOptions { Steps = 200, Grid = "karras" });
        var em = Compare(scored, problem.PosteriorMean, problem.PosteriorCovariance);
        output.WriteLine($"score + SLIC (euler-maruyama 200 karras): meanZ {em.MeanZ:F3} whitened {em.WhitenedVariance:F3} flux {em.FluxVariance:F3}");

        Assert.InRange(lambda / reference, 0.99, 1.01);
        Assert.True(meanZ < 0.4);
        Assert.InRange(whitened, 0.92, 1.08);
        Assert.InRange(flux, 0.6, 1.5);
        Assert.True(em.MeanZ < 0.8);
        Assert.InRange(em.WhitenedVariance, 0.7, 1.15);
    }
}
