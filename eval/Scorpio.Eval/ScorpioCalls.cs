using System.Globalization;
using Scorpio.Astro;
using Scorpio.Astro.Simulation;
using Scorpio.Models;
using Scorpio.NoiseModels;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Eval;

/// <summary>
/// A trained run folder loaded once per experiment: the network (<see cref="ScoreModel"/>) and, for priors, the pipelines'
/// view of it (<see cref="PriorModel"/>), reused by every sampling and posterior call of the experiment.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private PriorModel? _prior;

    private LoadedModel(string dir, ScoreModel model)
    {
        Dir = dir;
        Model = model;
    }

    /// <summary>The run folder.</summary>
    public string Dir { get; }
    public ScoreModel Model { get; }
    /// <summary>The model as the prior of the posterior, inpainting and transfer pipelines (built once, on first use).</summary>
    public PriorModel Prior => _prior ??= PriorModel.From(Model, Dir);

    /// <summary>Loads <paramref name="dir"/> on the experiment's device.</summary>
    public static LoadedModel Load(ExperimentContext ctx, string dir) =>
        ctx.Timed($"loading {dir}", () => new LoadedModel(dir, ScoreModel.Load(dir, ctx.TorchDevice)));

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The library calls of the experiments that do what a `scorpio` command does (train, sample, posterior), each logged as one
/// line with its wall time. Settings not named here are the library's defaults, which are also the commands' defaults.
/// </summary>
public static class ScorpioCalls
{
    private static string S(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Simulated one-band galaxies (N, size, size) (<c>scorpio simulate galaxies --n --size --noise-sigma --seed</c>).</summary>
    public static ImageData SimulateGalaxies(this ExperimentContext ctx, int n, int size, double noiseSigma, long seed)
    {
        var options = new GalaxySimulatorOptions().ForSize(size) with { NoiseSigma = noiseSigma };
        return ctx.Timed($"simulate {n} galaxies of {size}x{size} px, noise sigma {S(noiseSigma)}, seed {seed}",
            () => new GalaxySimulator(options).Simulate(n, seed).Images);
    }

    /// <summary>
    /// Trains a new run in <paramref name="run"/> on the FITS file <paramref name="data"/> (<c>scorpio train</c>, or
    /// <c>scorpio train-noise</c> with <paramref name="noiseModel"/>: the noise model's defaults and A = identity); progress lines go
    /// to the log. A diverged or cancelled run is an error.
    /// </summary>
    public static void Train(this ExperimentContext ctx, ConfigOverrides overrides, string data, string run, double? maxMinutes = null, bool noiseModel = false)
    {
        var options = (noiseModel ? overrides.ForNoiseModel() : overrides).NewRun(run, [data]) with
        {
            MaxTime = maxMinutes is double m ? TimeSpan.FromMinutes(m) : null,
            Device = ctx.TorchDevice,
            Monitor = new PlainTrainingMonitor(ctx.Log),
        };
        using var loaded = options.Data;
        var result = ctx.Timed($"train{(noiseModel ? " a noise model" : "")} {run} on {data}",
            () => noiseModel ? NoiseModelTraining.Train(options, new NoiseForwardModel()) : Trainer.Run(options));
        if (result.Outcome is TrainingOutcome.Diverged or TrainingOutcome.Cancelled)
            throw new InvalidOperationException($"training {run} stopped: {result.Message}");
        ctx.Log.WriteLine("    " + result.Message);
    }

    /// <summary>Unconditional samples in physical units, (N, H, W) for a one-band prior (<c>scorpio sample</c>; batches of 16).</summary>
    public static ImageData Sample(this ExperimentContext ctx, LoadedModel model, string sampler, int steps, string? grid, int n, long seed)
    {
        var options = new PriorSamplingOptions
        {
            Sampler = SamplerRegistry.Get(sampler), Settings = new SamplerOptions { Steps = steps, Grid = grid },
            Count = n, Seed = seed, Device = ctx.TorchDevice,
        };
        return ctx.Timed($"sample {n} from {model.Dir}: {sampler}, {steps} steps{(grid is null ? "" : ", " + grid + " grid")}, seed {seed}",
            () => PriorSampling.Draw(model.Model, options).ToImageData());
    }

    /// <summary>
    /// Posterior samples of one problem (<c>scorpio posterior</c> without prior samples): builds the inverse problem for the loaded
    /// prior, runs the method into <paramref name="outDir"/> and returns what it wrote (summary.json's content included). The
    /// exposures' in-memory observations (<see cref="Exposure"/>) are disposed afterwards.
    /// </summary>
    public static PosteriorResult Posterior(this ExperimentContext ctx, LoadedModel prior, ProblemSpec problem, string method, PosteriorSettings settings,
        int count, long seed, string outDir)
    {
        string what = method == "dps" ? $"dps, zeta {S(settings.Zeta)}" : $"{method}, {settings.Sampler ?? "its default sampler"}";
        try
        {
            return ctx.Timed($"posterior {outDir}: {what}, {settings.Steps} steps, {count} samples, seed {seed}", () =>
            {
                using var built = InverseProblemBuilder.Build(problem, prior.Prior, ctx.TorchDevice, m => ctx.Log.WriteLine("    " + m));
                return PosteriorPipeline.Run(new PosteriorRequest
                {
                    Problem = built, Method = method, Settings = settings, Count = count, PriorCount = 0, Seed = seed,
                    Device = ctx.TorchDevice, OutDir = outDir,
                });
            });
        }
        finally
        {
            foreach (var e in problem.Exposures) e.Observation?.Dispose();
        }
    }

    /// <summary>
    /// Inpainting samples of the pixels of <paramref name="image"/> that <paramref name="badPixels"/> flags (non-zero = fill), written into
    /// <paramref name="outDir"/> (<c>scorpio inpaint</c>: replacement, with RePaint when <paramref name="resample"/> &gt; 1).
    /// </summary>
    public static PosteriorResult Inpaint(this ExperimentContext ctx, LoadedModel prior, ImageData image, ImageData badPixels, string source,
        int steps, int count, int resample, long seed, string outDir)
    {
        using var observed = ObservationInput.ObservedMask(badPixels);
        using var input = ObservationInput.FromImage(image, null, source, observed);
        return ctx.Timed($"inpaint {outDir}: {steps} steps, resample {resample}, {count} samples, seed {seed}", () => InpaintPipeline.Run(new InpaintRequest
        {
            Prior = prior.Prior, Image = input, Resample = resample, Steps = steps, Count = count, Seed = seed, Device = ctx.TorchDevice, OutDir = outDir,
        }));
    }

    /// <summary>One exposure of an (H, W) observation in memory, with an optional (H, W) PSF on the model grid and white noise sigma.</summary>
    public static ProblemSpec Exposure(ImageData observation, string source, Tensor? psf = null, int pool = 1, double? sigma = null) => new()
    {
        Exposures = [new ExposureSpec { Observation = ObservationInput.FromImage(observation, null, source), Psf = psf, Pool = pool, Sigma = sigma }],
    };

    /// <summary>An (H, W) PSF as the (1, H, W) float32 tensor a problem takes (one PSF for every band); dispose it.</summary>
    public static Tensor PsfTensor(ImageData psf) => torch.FromArray(psf.Data, 1, psf.Height, psf.Width).DetachFromDisposeScope();
}
