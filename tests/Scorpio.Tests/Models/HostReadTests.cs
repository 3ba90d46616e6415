using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Models;
using Scorpio.NoiseModels;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Tests.Training;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Models;

/// <summary>
/// A network evaluation inside sampling or training makes no host reads (copies of tensor values to the host, scalar
/// results of tensor ops, device-to-CPU transfers: counted by the shim per thread, <see cref="torch.HostReads"/>). On a
/// GPU each one stalls the device; the number expected is 0 per evaluation after a warm-up call (first calls may fill
/// caches). Every model kind, every built-in loss, and the posterior score with each likelihood form are checked.
/// </summary>
public class HostReadTests
{
    public HostReadTests() => torch.NumThreads = 2;

    private static RunConfig Config(string sde, string embedding = "fourier") => new()
    {
        Sde = new SdeConfig { Name = sde, SigmaMax = sde == "ve" ? 20 : null },
        Network = TrainingFixtures.TinyUNet(8) with { Embedding = embedding },
        Normalization = new() { Kind = "none" },
        Data = new DataConfig { Shape = [1, 8, 8] },
    };

    private static ScoreModel Model(string sde, string embedding = "fourier")
    {
        using var rng = new Generator(3);
        return ScoreModel.Create(Config(sde, embedding), Device.CPU, rng);
    }

    /// <summary>Host reads made by <paramref name="action"/> on its second call (the first is the warm-up).</summary>
    private static long ReadsAfterWarmUp(Action action)
    {
        action();
        long before = torch.HostReads;
        action();
        return torch.HostReads - before;
    }

    [Fact]
    public void TheCounterSeesCopiesAndScalarsButNotOps()
    {
        using var x = torch.Ones([3, 4]);
        long before = torch.HostReads;
        using (var y = x.Mul(2).Add(1.0)) { }
        Assert.Equal(0, torch.HostReads - before);
        _ = x.ToFloatArray();
        Assert.Equal(1, torch.HostReads - before);
        _ = x.Sum().ToDouble();
        Assert.Equal(2, torch.HostReads - before);
    }

    [Theory]
    [InlineData("ve", "fourier")]
    [InlineData("vp", "sinusoidal")]
    [InlineData("subvp", "fourier")]
    [InlineData("vp-cosine", "fourier")]
    [InlineData("edm", "fourier")]
    [InlineData("ddpm", "sinusoidal")]
    [InlineData("ddpm", "fourier")]
    public void ScoreSigmaScoreAndDenoiseReadNothing(string sde, string embedding)
    {
        using var model = Model(sde, embedding);
        using var noGrad = torch.NoGrad();
        using var x = torch.Randn([2, 1, 8, 8], new Generator(1));
        using var t = torch.FromArray(new float[] { (float)(0.3 * model.Sde.T), (float)(0.7 * model.Sde.T) });
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var s = model.Score(x, t); }));
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var s = model.SigmaScore(x, t); }));
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var s = model.Denoise(x, t); }));
    }

    [Theory]
    [InlineData("ve", "dsm")]
    [InlineData("vp", "dsm")]
    [InlineData("edm", "edm")]
    [InlineData("edm", "dsm")]
    [InlineData("ddpm", "ddpm-l2")]
    [InlineData("ddpm", "ddpm-l1")]
    public void TrainingLossesReadNothing(string sde, string lossName)
    {
        using var model = Model(sde, sde == "ddpm" ? "sinusoidal" : "fourier");
        var loss = TrainingLosses.Create(lossName, model.Parametrisation);
        using var x0 = torch.Randn([4, 1, 8, 8], new Generator(2));
        using var rng = new Generator(5);
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var l = loss.Compute(model, x0, rng); l.Backward(); }));
    }

    [Fact]
    public void TheNoiseModelsModifiedKernelLossReadsNothing()
    {
        using var model = Model("vp");
        using var psf = Psf.FromModel(Astro.Simulation.PsfModel.Gaussian, 1.5, 5);
        using var a = new PsfConvolution(psf, [1, 8, 8]);
        using var kernel = new CirculantNoiseKernel(a);
        var loss = new ModifiedKernelDsmLoss(kernel);
        using var x0 = torch.Randn([4, 1, 8, 8], new Generator(2));
        using var rng = new Generator(5);
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var l = loss.Compute(model, x0, rng); }));
    }

    [Theory]
    [InlineData(CovarianceForm.Dense)]
    [InlineData(CovarianceForm.Fourier)]
    [InlineData(CovarianceForm.Diagonal)]
    public void ThePosteriorScoreReadsNothing(CovarianceForm form)
    {
        using var model = Model("edm");
        using var psf = Psf.FromModel(Astro.Simulation.PsfModel.Gaussian, 1.5, 5);
        using var a = new PsfConvolution(psf, [1, 8, 8]);
        using var y = torch.Randn([1, 8, 8], new Generator(4), DType.Float64);
        using var noise = GaussianNoise.White(0.1);
        using var likelihood = new GaussianLikelihood(a, y, noise, model.Sde, form);
        var posterior = new PosteriorScore(model, likelihood);
        using var noGrad = torch.NoGrad();
        using var x = torch.Randn([3, 1, 8, 8], new Generator(1));
        using var t = torch.Full([3], 2.0, DType.Float32);
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var s = posterior.Score(x, t); }));
    }

    [Fact]
    public void SlicWithALearnedNoiseModelReadsNothing()
    {
        using var prior = Model("edm");
        using var noiseRun = Model("vp");
        using var noiseScore = new TrainedNoiseScore(noiseRun, noiseRun.Sde, [1, 8, 8], 2.0, [0.1], "tiny noise model");
        using var a = new IdentityOperator([1, 8, 8]);
        using var y = torch.Randn([1, 8, 8], new Generator(4), DType.Float64);
        using var likelihood = new SlicLikelihood(a, y, noiseScore, prior.Sde);
        var posterior = new PosteriorScore(prior, likelihood);
        using var noGrad = torch.NoGrad();
        using var x = torch.Randn([2, 1, 8, 8], new Generator(1));
        using var t = torch.Full([2], 1.0, DType.Float32);
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var s = posterior.Score(x, t); }));
    }

    [Fact]
    public void SamplerStepsReadNothing()
    {
        using var model = Model("vp");
        var sde = model.Sde;
        using var x = torch.Randn([2, 1, 8, 8], new Generator(1));
        using var rng = new Generator(9);
        double[] grid = [0.8, 0.7, 0.6];
        foreach (var sampler in SamplerRegistry.All)
        {
            var options = new SamplerOptions { Steps = 3, Denoise = false, Eta = 0.5, Churn = 1 };
            long reads = ReadsAfterWarmUp(() => { using var r = sampler.Run(model, sde, grid, x, rng, options, null); });
            Assert.True(reads == 0, $"{sampler.Name} made {reads} host reads in two steps");
        }
    }
    [Fact]
    public void ATrainingStepWithGradientClippingReadsNothing()
    {
        using var model = Model("ve");
        var loss = TrainingLosses.Create("dsm", model.Parametrisation);
        using var adam = new Torch.Optim.Adam(model.Network.Parameters(), 1e-3);
        using var ema = new Torch.Optim.Ema(model.Network, 0.999);
        var step = new TrainingStep(model, loss, adam, ema, gradClip: 1.0);
        using var x0 = torch.Randn([4, 1, 8, 8], new Generator(2));
        using var rng = new Generator(5);
        Assert.Equal(0, ReadsAfterWarmUp(() => { using var scope = torch.NewDisposeScope(); step.Run(x0, rng); }));
    }

    /// <summary>
    /// The trainer reads the losses of <c>LossReadEvery</c> steps at once: 20 more steps with reads every 10 steps and no
    /// checkpoint in between cost exactly 2 more host reads (everything else, set-up and the final save, is the same).
    /// Augmentation is off and the 30 steps stay in the first epoch of the 128 images: the flips and turns and each
    /// epoch's permutation are drawn from CPU generators and read on the CPU, which copies host memory but never waits
    /// for a device.
    /// </summary>
    [Fact]
    public void TheTrainerReadsTheLossOncePerTenSteps()
    {
        long Reads(int steps)
        {
            var dir = Scorpio.Tests.TestPaths.TempDir($"host-reads-{steps}");
            using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(128, 16, 2));
            var cfg = new RunConfig
            {
                Network = TrainingFixtures.TinyUNet(16),
                Training = new TrainingConfig
                {
                    Steps = steps, Batch = 4, CheckpointEvery = 1000, GradClip = 1.0,
                    Augment = new Data.AugmentationConfig { Flip = false, Rot90 = false },
                },
            };
            long before = torch.HostReads;
            var r = Trainer.Run(new TrainingOptions { OutDir = dir, Config = cfg, Data = data, LossReadEvery = 10 });
            Assert.Equal(TrainingOutcome.Completed, r.Outcome);
            Assert.Equal(steps + 1, File.ReadAllLines(Path.Combine(dir, "loss.csv")).Length);
            return torch.HostReads - before;
        }
        long ten = Reads(10);
        Assert.Equal(ten + 2, Reads(30));
    }
}
