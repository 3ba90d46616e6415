using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The samplers by name, with default grids and step counts, and the driver that draws from the prior,
/// runs a sampler and applies the final denoising step. Defaults (grid points K, number of score evaluations):
/// euler-maruyama 1000 uniform (1000), pc 1000 uniform (1999), ode-euler 100 karras (100), ode-heun 35 karras (69),
/// ode-rk4 18 karras (69), edm-heun 18 karras (35, as EDM on CIFAR-10), ddpm 1000 uniform (1000, the trained DDPM chain),
/// ddim 50 uniform (50), dpm-solver++2m 25 log-sigma (25). For <see cref="EdmSde"/>, where time is the noise level,
/// a uniform grid would be uniform in sigma (far too coarse at low noise), so a "uniform" default becomes "karras"
/// (<see cref="Sde.DefaultGrid"/>; an explicit <see cref="SamplerOptions.Grid"/> is always honoured).
/// </summary>
public static class SamplerRegistry
{
    /// <summary>Every sampler, in the order listed in help texts.</summary>
    public static IReadOnlyList<SamplerDefinition> All { get; } =
    [
        new("euler-maruyama", "Euler-Maruyama on the reverse SDE", 1000, "uniform", true, _ => 1,
            (f, sde, g, x, noise, o, cb) => EulerMaruyamaSampler.Sample(f, sde, g, x, noise, cb)),
        new("pc", "predictor-corrector: reverse-SDE Euler-Maruyama + Langevin corrector (snr rule)", 1000, "uniform", true, o => 1 + o.CorrectorSteps,
            (f, sde, g, x, noise, o, cb) => PredictorCorrectorSampler.Sample(f, sde, g, x, noise, o.Snr, o.CorrectorSteps, cb)),
        new("ode-euler", "probability-flow ODE, Euler", 100, "karras", false, _ => 1,
            (f, sde, g, x, noise, o, cb) => OdeEulerSampler.Sample(f, sde, g, x, noise, cb)),
        new("ode-heun", "probability-flow ODE, Heun in the SDE's time", 35, "karras", false, _ => 2,
            (f, sde, g, x, noise, o, cb) => OdeHeunSampler.Sample(f, sde, g, x, noise, cb)),
        new("ode-rk4", "probability-flow ODE, classical Runge-Kutta 4", 18, "karras", false, _ => 4,
            (f, sde, g, x, noise, o, cb) => OdeRk4Sampler.Sample(f, sde, g, x, noise, cb)),
        new("edm-heun", "EDM (Karras et al. 2022) Heun in sigma/mu, optional churn", 18, "karras", false, _ => 2,
            (f, sde, g, x, noise, o, cb) => EdmHeunSampler.Sample(f, sde, g, x, noise, o.Churn, o.ChurnMin, o.ChurnMax, o.ChurnNoise, cb)),
        new("ddpm", "DDPM ancestral sampling (posterior q(x_s | x_t, x0_hat))", 1000, "uniform", true, _ => 1,
            (f, sde, g, x, noise, o, cb) => DdpmSampler.Sample(f, sde, g, x, noise, cb)),
        new("ddim", "DDIM (eta = 0 deterministic)", 50, "uniform", false, _ => 1,
            (f, sde, g, x, noise, o, cb) => DdimSampler.Sample(f, sde, g, x, noise, o.Eta, cb)),
        new("dpm-solver++2m", "DPM-Solver++(2M), second-order multistep", 25, "log-sigma", false, _ => 1,
            (f, sde, g, x, noise, o, cb) => DpmSolverPlusPlus2MSampler.Sample(f, sde, g, x, noise, cb)),
    ];

    /// <summary>The sampler names.</summary>
    public static IReadOnlyList<string> Names => All.Select(d => d.Name).ToArray();

    /// <summary>The sampler called <paramref name="name"/>; a <see cref="UserInputException"/> listing the names otherwise.</summary>
    public static SamplerDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name == name)
        ?? throw new UserInputException($"unknown sampler '{name}'; choose one of: {string.Join(", ", Names)}");

    /// <summary>The kind of time grid a sampler will use: the option, else its default (karras for EDM instead of uniform).</summary>
    public static string GridKind(SamplerDefinition sampler, Sde sde, SamplerOptions options)
    {
        string kind = options.Grid ?? sde.DefaultGrid(sampler.DefaultGrid);
        if (!TimeGrids.Names.Contains(kind)) throw new UserInputException($"unknown time grid '{kind}'; choose one of: {string.Join(", ", TimeGrids.Names)}");
        return kind;
    }

    /// <summary>The time grid a sampler will use for <paramref name="sde"/> under <paramref name="options"/>.</summary>
    public static double[] Grid(SamplerDefinition sampler, Sde sde, SamplerOptions options)
    {
        int points = options.Steps ?? sampler.DefaultSteps;
        if (points < 1) throw new InvalidSettingException("steps", $"must be at least 1 (got {points})");
        return TimeGrids.Create(GridKind(sampler, sde, options), sde, points, options.Rho);
    }

    /// <summary>
    /// Runs <paramref name="sampler"/> from <paramref name="xT"/> (a draw of the prior at T) and, with
    /// <see cref="SamplerOptions.Denoise"/>, finishes with Tweedie's step. Works in normalised units; returns a new tensor.
    /// The callback sees every update, the denoising step included, with the evaluations counted so far.
    /// </summary>
    public static Tensor Sample(SamplerDefinition sampler, IScoreFunction score, Sde sde, Tensor xT, SampleNoise noise,
        SamplerOptions? options = null, Action<SamplerStep>? callback = null)
    {
        options ??= new SamplerOptions();
        var grid = Grid(sampler, sde, options);
        int updates = grid.Length - 1 + (options.Denoise ? 1 : 0);
        var f = EvaluationCounter.Wrap(score);
        var x = sampler.Run(f, sde, grid, xT, noise, options, callback is null ? null : s => callback(s with { Steps = updates }));
        if (!options.Denoise) return x;
        using (x)
        {
            var denoised = Denoiser.Tweedie(f, sde, x, grid[^1]);
            callback?.Invoke(new SamplerStep(updates, updates, 0, f.Count));
            return denoised;
        }
    }

    /// <summary>Draws <paramref name="shape"/> from the prior N(0, PriorSigma^2) with <paramref name="noise"/> and samples.</summary>
    public static Tensor Generate(SamplerDefinition sampler, IScoreFunction score, Sde sde, long[] shape, SampleNoise noise,
        SamplerOptions? options = null, Action<SamplerStep>? callback = null, Device? device = null)
    {
        using var xT = sde.PriorSample(shape, noise, device);
        return Sample(sampler, score, sde, xT, noise, options, callback);
    }
}
