using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Likelihoods;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Diffusion posterior sampling (<see cref="DpsSampler"/>; Chung et al. 2023, diffusion4astro's step) on a uniform grid of
/// 1000 steps by default (Karras for EDM priors, whose time is sigma), with relative pixel weights: mask / sigma divided by their mean over the observed pixels, which
/// keeps diffusion4astro's step (no sigma in it) for white noise whatever the noise level while a sigma map still
/// down-weights its noisier pixels (absolute 1/sigma weights multiply the step by 1/sigma and diverge on faint, low-noise
/// data). Needs Gaussian noise (the residual norm); an approximation of the posterior even for Gaussian problems.
/// </summary>
public sealed class DpsPosteriorMethod(PosteriorSettings settings) : IPosteriorMethod, IDisposable
{
    private double[]? _grid;
    private Tensor? _weights;
    private Tensor? _y;

    public string Name => "dps";

    public (SamplerDefinition Sampler, SamplerOptions Options) PriorSampling =>
        (SamplerRegistry.Get("euler-maruyama"), new SamplerOptions { Steps = settings.Steps ?? 1000, Grid = settings.Grid });

    public JsonObject Prepare(InverseProblem problem, Action<string>? log)
    {
        if (problem.NoiseModel is not null) throw new InvalidSettingException("method", "dps uses the Gaussian residual norm; it does not take a noise model (use the score method)");
        if (!(settings.Zeta >= 0) || !double.IsFinite(settings.Zeta))
            throw new InvalidSettingException("zeta", $"must be >= 0 (got {settings.Zeta}); the default {DpsSampler.DefaultZeta} suits 256x256 images, 0.3 small stamps");
        // Uniform by default, as diffusion4astro; the SDE's own default where uniform time is a poor grid (EDM: uniform in sigma).
        string kind = settings.Grid ?? problem.Prior.Sde.DefaultGrid("uniform");
        _grid = TimeGrids.Create(kind, problem.Prior.Sde, settings.Steps ?? 1000);
        _weights?.Dispose();
        _weights = Weights(problem);
        _y?.Dispose();
        _y = problem.PriorObservation.To(DType.Float32).DetachFromDisposeScope();
        return new JsonObject
        {
            ["method"] = Name,
            ["sampler"] = "dps (euler-maruyama)",
            ["grid"] = kind,
            ["grid_points"] = _grid.Length,
            ["evaluations_per_batch"] = _grid.Length,
            ["zeta"] = settings.Zeta,
        };
    }

    public Tensor Sample(InverseProblem problem, int n, SampleNoise noise, Action<SamplerStep>? progress)
    {
        if (_grid is null) throw new InvalidOperationException("call Prepare before Sample");
        var prior = problem.Prior;
        using var xT = prior.Sde.PriorSample([n, .. prior.Shape], noise, noise.Device);
        return DpsSampler.Sample(prior.Score, prior.Sde, _grid, xT, problem.PriorOperator, _y!, _weights, settings.Zeta, noise, callback: progress);
    }

    /// <summary>mask / sigma, divided by its mean over the observed pixels.</summary>
    private static Tensor Weights(InverseProblem problem)
    {
        using var scope = torch.NewDisposeScope();
        var noise = problem.Noise!;
        var mask = problem.Mask.To(DType.Float32);
        var w = noise.SigmaMap is not null ? mask.Div(noise.SigmaMap.To(DType.Float32)) : mask.Div(noise.Sigma!.Value);
        double observed = mask.Sum().ToDouble();
        if (observed <= 0) throw new UserInputException("every pixel is masked, so DPS has nothing to fit");
        return w.Div(w.Sum().ToDouble() / observed).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _weights?.Dispose();
        _y?.Dispose();
    }
}
