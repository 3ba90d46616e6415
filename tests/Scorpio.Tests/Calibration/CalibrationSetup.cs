using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Tests.Models;
using Scorpio.Torch;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;

namespace Scorpio.Tests.Calibration;

/// <summary>
/// The calibration problem of tiers A and B: a stationary Gaussian prior on 16x16 images (a blob-shaped mean, periodic
/// squared-exponential covariance of amplitude 1 and length 1.5 px plus 0.01 white), observed through a Gaussian PSF (FWHM 2 px,
/// 5x5) and 2x2 average pooling (8x8 observed pixels) with white noise (sigma 0.1) or a per-pixel sigma map (0.05 to 0.2);
/// N truths drawn exactly from the prior and their observations, each repeated S times so that one batched sampler call draws
/// S posterior samples of every pair (pair i is batch items i S .. i S + S - 1; the likelihoods take one observation per item).
/// </summary>
internal sealed class CalibrationSetup : IDisposable
{
    public const int Size = 16;

    public CalibrationSetup(string noise, int pairs, int perPair, ulong seed)
    {
        Pairs = pairs;
        PerPair = perPair;
        Gaussian = Prior();
        long[] shape = [1, Size, Size];
        using (var psf = Psf.FromModel(PsfModel.Gaussian, 2.0, 5))
            Operator = new Compose(new PsfConvolution(psf, shape), new AveragePooling(2, shape));
        using var scope = torch.NewDisposeScope();
        var sigma = noise switch
        {
            "white" => torch.Full(Operator.OutputShape, 0.1, DType.Float64),
            "per-pixel" => torch.Rand(Operator.OutputShape, new Generator(seed + 1), DType.Float64).Mul(0.15).Add(0.05),
            _ => throw new ArgumentException(noise),
        };
        Noise = noise == "white" ? GaussianNoise.White(0.1) : GaussianNoise.PerPixel(sigma);
        Exact = new DenseGaussianPosterior(Gaussian, Operator, DenseGaussianPosterior.DiagonalPrecision(sigma));
        using var rng = new Generator(seed);
        Truths = Gaussian.Draw(pairs, rng).DetachFromDisposeScope();
        var clean = Operator.Apply(Truths);
        Observations = clean.Add(torch.Randn(clean.Shape, rng, DType.Float64).Mul(sigma)).DetachFromDisposeScope();
        var repeated = Observations.Unsqueeze(1).Expand([pairs, perPair, .. Operator.OutputShape]);
        BatchObservations = repeated.Reshape([pairs * perPair, .. Operator.OutputShape]).Contiguous().DetachFromDisposeScope();
        Sigma = sigma.DetachFromDisposeScope();
    }

    /// <summary>The tier A prior.</summary>
    public static StationaryGaussian Prior() => new(Size, amplitude: 1.0, length: 1.5, white: 0.01);

    public int Pairs { get; }
    public int PerPair { get; }
    public StationaryGaussian Gaussian { get; }
    public ForwardOperator Operator { get; }
    public GaussianNoise Noise { get; }
    /// <summary>Per-pixel sigma of the observations, (1, 8, 8) float64.</summary>
    public Tensor Sigma { get; }
    public DenseGaussianPosterior Exact { get; }
    /// <summary>(N, 1, 16, 16) float64.</summary>
    public Tensor Truths { get; }
    /// <summary>(N, 1, 8, 8) float64.</summary>
    public Tensor Observations { get; }
    /// <summary>(N S, 1, 8, 8) float64: each observation repeated S times.</summary>
    public Tensor BatchObservations { get; }
    public long[] BatchShape => [Pairs * PerPair, 1, Size, Size];

    /// <summary>Calibration of <paramref name="samples"/> (N S, 1, 16, 16) against the truths and the exact posterior.</summary>
    public TierStatistics Statistics(Tensor samples) => TierStatistics.Compute(samples, PerPair, Truths, Exact, Observations);

    /// <summary>MMPS with the given sampler settings and CG iterations.</summary>
    public Tensor Mmps(IScoreFunction prior, Sde sde, string sampler, SamplerOptions options, int cgIterations, ulong seed)
    {
        using var score = new MomentMatchingScore(prior, sde, Operator, BatchObservations, Noise, cgIterations);
        using var rng = new Generator(seed);
        return SamplerRegistry.Generate(SamplerRegistry.Get(sampler), score, sde, BatchShape, rng, options);
    }

    /// <summary>The score method: prior score plus the convolved Gaussian likelihood (dense form).</summary>
    public Tensor ConvolvedScore(IScoreFunction prior, Sde sde, string sampler, SamplerOptions options, ulong seed)
    {
        using var likelihood = new GaussianLikelihood(Operator, BatchObservations, Noise, sde);
        using var rng = new Generator(seed);
        return SamplerRegistry.Generate(SamplerRegistry.Get(sampler), new PosteriorScore(prior, likelihood), sde, BatchShape, rng, options);
    }

    /// <summary>
    /// PnP-DM as the registered method runs it (default settings, Gaussian likelihood step, rho annealed from min(10, the SDE's
    /// largest noise level) to the automatic rho_min, then the final iterations); each batch item's chain returns one sample.
    /// </summary>
    public Tensor PnpDm(IScoreFunction prior, Sde sde, ulong seed)
    {
        using var step = new GaussianProximalDraw(Operator, BatchObservations, Noise);
        var settings = new PnpDmSettings();
        double rhoMin = settings.FinalRho(sde, step.LargestDataPrecision());
        double rhoStart = Math.Max(Math.Min(settings.RhoStart, sde.NoiseRatio(sde.T)), rhoMin);
        var rhos = PnpDmSampler.Schedule(rhoStart, rhoMin, settings.RhoDecay, settings.FinalIterations);
        using var rng = new Generator(seed);
        return PnpDmSampler.Sample(prior, sde, (z, _, rho) => step.Draw(z, rho, rng), BatchShape, rhos, PnpDmPosteriorMethod.DefaultGridPoints, rng);
    }

    /// <summary>DPS with the posterior method's weights (1/sigma over its mean) and grid (uniform; Karras for EDM).</summary>
    public Tensor Dps(IScoreFunction prior, Sde sde, int steps, double zeta, ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        var w = Sigma.Reciprocal();
        w = w.Div(w.Mean().ToDouble()).To(DType.Float32);
        using var rng = new Generator(seed);
        var xT = sde.PriorSample(BatchShape, rng);
        var y = BatchObservations.To(DType.Float32);
        return DpsSampler.Sample(prior, sde, TimeGrids.Create(sde.DefaultGrid("uniform"), sde, steps), xT, Operator, y, w, zeta, rng).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Gaussian.Dispose(); Operator.Dispose(); Noise.Dispose(); Sigma.Dispose(); Exact.Dispose();
        Truths.Dispose(); Observations.Dispose(); BatchObservations.Dispose();
    }
}
