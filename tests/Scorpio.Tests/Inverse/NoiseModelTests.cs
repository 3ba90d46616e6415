using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.NoiseModels;
using Scorpio.Operators;
using Scorpio.Tests;
using Scorpio.Torch;
using Scorpio.Training;
using static Scorpio.Tests.Inverse.InverseTestUtil;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;
using Scorpio.Models;

namespace Scorpio.Tests.Inverse;

/// <summary>The noise-model side of SLIC: the circulant kernel (Adam et al. 2023 eq. 17), the modified-kernel loss and the unit mapping of a trained noise score.</summary>
public class NoiseModelTests
{
    public NoiseModelTests() => torch.NumThreads = 2;

    /// <summary>
    /// With A = identity the power spectrum is 1 + lambda. With 2x2 average pooling A A^T = I/4 exactly: the pixel-ratio correction
    /// gives 1/4 + lambda, while the literal eq. 17 gives |F Pi|^2 = 1/16 (+ lambda), a factor 4 too small; whitening A z then equals
    /// the dense (A A^T + lambda I)^-1 A z to rounding.
    /// </summary>
    [Fact]
    public void CirculantKernelMatchesAAtForIdentityAndPooling()
    {
        using var scope = torch.NewDisposeScope();
        using var identity = new IdentityOperator([1, 8, 8]);
        using var k1 = new CirculantNoiseKernel(identity);
        Assert.True(MaxAbsDiff(k1.PowerSpectrum, torch.Full([1, 8, 8], 1.001, DType.Float64)) < 1e-12);
        using var pool = new AveragePooling(2, [1, 16, 16]);
        using var corrected = new CirculantNoiseKernel(pool);
        using var literal = new CirculantNoiseKernel(pool, pixelRatioCorrection: false);
        Assert.Equal(0.251, corrected.PowerSpectrum.Mean().ToDouble(), 10);
        Assert.Equal(1.0 / 16 + 1e-3, literal.PowerSpectrum.Mean().ToDouble(), 10);
        var z = Randn([3, 1, 16, 16], 4);
        var az = pool.Apply(z);
        var whitened = corrected.Whiten(az);
        var expected = az.Div(0.251);
        Assert.True(MaxAbsDiff(whitened, expected) < 1e-10);
    }

    /// <summary>For a PSF the effective kernel is the PSF itself, so |F Pi|^2 is the PSF's power spectrum (the paper's eq. 17 exactly).</summary>
    [Fact]
    public void CirculantKernelOfAPsfIsItsPowerSpectrum()
    {
        using var scope = torch.NewDisposeScope();
        using var psf = Psf.FromModel(PsfModel.Gaussian, 2.0, 5);
        using var a = new PsfConvolution(psf, [1, 16, 16]);
        using var k = new CirculantNoiseKernel(a);
        var centred = torch.Zeros([1, 16, 16], DType.Float64);
        var p = Psf.Normalise(psf.To(DType.Float64));
        var placed = torch.Pad(p, [6, 5, 6, 5]);                      // centre (2,2) -> (8,8)
        var expected = torch.Fft2(placed).Abs().Square().Add(1e-3);
        Assert.True(MaxAbsDiff(k.PowerSpectrum, expected) < 1e-10);
    }

    private static RunConfig TinyConfig(string sde = "vp") => new()
    {
        Seed = 1,
        Sde = new SdeConfig { Name = sde },
        Network = new Scorpio.Networks.NetworkConfig { Arch = "ncsnpp", InChannels = 1, ImageSize = 16, Width = 8, ChannelMult = [1, 2], BlocksPerLevel = 1, AttentionResolutions = [] },
        Normalization = new Data.NormalizationConfig { Kind = "none" },
        Data = new DataConfig { Shape = [1, 16, 16] },
        Training = new TrainingConfig { Steps = 3, Batch = 4, Warmup = 1, CheckpointEvery = 100 },
    };

    /// <summary>With A = identity and lambda = 0 the modified-kernel loss is exactly plain DSM (same draws, same model): 1e-5 relative.</summary>
    [Fact]
    public void ModifiedKernelLossReducesToDsmForTheIdentity()
    {
        using var scope = torch.NewDisposeScope();
        using var rngInit = new Generator(1);
        using var model = ScoreModel.Create(TinyConfig(), Device.CPU, rngInit);
        var x0 = Randn([4, 1, 16, 16], 9, DType.Float32);
        using var a = new IdentityOperator([1, 16, 16]);
        using var kernel = new CirculantNoiseKernel(a, regulariser: 0);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        double modified = new ModifiedKernelDsmLoss(kernel).Compute(model, x0, g1).ToDouble();
        double dsm = new DenoisingScoreMatchingLoss().Compute(model, x0, g2).ToDouble();
        Assert.Equal(dsm, modified, dsm * 1e-5);
    }

    /// <summary>
    /// The unit and time mapping of <see cref="TrainedNoiseScore"/>, checked with an exact score in the model's units: noise
    /// N(0, s^2) in physical units, a model normalised as e = 4 eta + 0.3 on a VE SDE, queried with a VP prior's (mu, sigma).
    /// It must return the exact physical score of v = mu eta + sigma z, -v / (mu^2 s^2 + sigma^2) (1e-6 relative, the bisection's accuracy).
    /// </summary>
    [Fact]
    public void TrainedNoiseScoreMapsUnitsAndTimesBetweenSdes()
    {
        using var scope = torch.NewDisposeScope();
        const double s = 0.2, a = 4, b = 0.3;
        var ve = new VeSde(0.001, 100);
        var eSpace = new AnalyticGaussianScore(ve, mean: b, variance: a * a * s * s);
        using var noise = new TrainedNoiseScore(eSpace, ve, [1, 4, 4], a, [b], "analytic");
        var vp = new VpSde();
        var v = Randn([2, 1, 4, 4], 3);
        foreach (double t in new[] { 0.01, 0.2, 0.6 })
        {
            double mu = vp.Mu(t), sigma = vp.Sigma(t);
            var score = noise.Score(v, mu, sigma);
            var expected = v.Div(-(mu * mu * s * s + sigma * sigma));
            Assert.True(MaxAbsDiff(score, expected) < 1e-6 * Norm(expected), $"t={t}: {MaxAbsDiff(score, expected)}");
        }
    }

    /// <summary>Score of N(mean, variance) per pixel under an SDE: -(x - mu mean) / (mu^2 variance + sigma^2).</summary>
    private sealed class AnalyticGaussianScore(Sde sde, double mean, double variance) : IScoreFunction
    {
        public Tensor Score(Tensor x, Tensor t)
        {
            double time = t.ToDoubleArray()[0], mu = sde.Mu(time), sg = sde.Sigma(time);
            using var c = x.Sub(mu * mean);
            return c.Div(-(mu * mu * variance + sg * sg));
        }
    }

    /// <summary>
    /// The trainer accepts the modified-kernel loss (PSF + 2x2 pooling, 3 steps), the run loads as a SLIC noise score of the
    /// observation's shape, and the score of a residual batch has the right shape and is finite.
    /// </summary>
    [Fact]
    public void TrainerRunsTheModifiedKernelLossAndTheRunLoadsAsANoiseScore()
    {
        using var scope = torch.NewDisposeScope();
        var dir = TestPaths.TempDir("noise-run");
        using var psf = Psf.FromModel(PsfModel.Gaussian, 2.0, 5);
        using var a = new Compose(new PsfConvolution(psf, [1, 32, 32]), new AveragePooling(2, [1, 32, 32]));
        using var kernel = new CirculantNoiseKernel(a);
        var noise = Randn([16, 1, 16, 16], 2, DType.Float32).Mul(0.1);
        using var data = new Data.TrainingDataset(noise, ["(memory)"]);
        var result = Trainer.Run(new TrainingOptions { OutDir = dir, Config = TinyConfig(), Data = data, Loss = new ModifiedKernelDsmLoss(kernel) });
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        using var model = ScoreModel.Load(dir, Device.CPU);
        Assert.Equal("dsm-modified-kernel", model.Config.Training.Loss);
        using var score = TrainedNoiseScore.FromModel(model, "noise run");
        var v = Randn([2, 1, 16, 16], 7, DType.Float32);
        var s = score.Score(v, 0.9, 0.2);
        Assert.Equal(new long[] { 2, 1, 16, 16 }, s.Shape);
        Assert.True(s.IsFinite().All().ToBool());
    }
}
