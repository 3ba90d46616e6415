using Scorpio.Likelihoods;
using Scorpio.Posterior;

namespace Scorpio.Calibration;

/// <summary>
/// Everything <see cref="CalibrationRun.Run"/> needs besides the prior (the CLI maps flags to it and checks it before the
/// prior loads).
/// </summary>
public sealed record CalibrationRequest
{
    /// <summary>
    /// The forward model and Gaussian noise of every simulated observation: one exposure without its observation (psf or
    /// psfModel, pool, scale, shift; sigma or sigmaMap).
    /// </summary>
    public required ExposureSpec Exposure { get; init; }
    /// <summary>How the Gaussian likelihood's M(t) is inverted (score method).</summary>
    public CovarianceForm Form { get; init; } = CovarianceForm.Auto;
    /// <summary>Simulated (truth, observation) pairs; TARP bins = simulations / 10 (sbi), so at least 10 for its curve.</summary>
    public int Simulations { get; init; } = 50;
    /// <summary>
    /// Posterior samples per truth (ranks, coverage and TARP work exactly for any number; more sharpen TARP's f). 6, so that 50
    /// simulations of the demo prior at mmps' defaults fit in 10 minutes on 2 CPU cores (8 took about 12.5 s per simulation).
    /// </summary>
    public int SamplesPerTruth { get; init; } = DefaultSamplesPerTruth;

    /// <summary>The default of <see cref="SamplesPerTruth"/>.</summary>
    public const int DefaultSamplesPerTruth = 6;
    /// <summary>A registered posterior method (<see cref="PosteriorMethods"/>).</summary>
    public string Method { get; init; } = PosteriorMethods.Default;
    /// <summary>How the method runs; unset steps and sampler are the method's own defaults, as in scorpio posterior.</summary>
    public PosteriorSettings Settings { get; init; } = new();

    /// <summary>Sampler that draws the truths from the prior (EDM's Heun, 18 points, 35 evaluations, by default).</summary>
    public string TruthSampler { get; init; } = "edm-heun";
    /// <summary>Grid points of <see cref="TruthSampler"/>; null = its default.</summary>
    public int? TruthSteps { get; init; }
    /// <summary>
    /// Posterior samples drawn at once (memory, speed): null = <see cref="CalibrationRun.DefaultBatch"/> or the samples per
    /// truth if more. A batch of at least 2 x <see cref="SamplesPerTruth"/> holds several simulations' samples (each item
    /// conditioned on its own observation), which keeps the network busy; the samples do not depend on it.
    /// </summary>
    public int? BatchSize { get; init; }
    /// <summary>Seed: truth k and its noise come from (seed, k); posterior sample j of simulation k from ((seed, k), j).</summary>
    public long Seed { get; init; }
    /// <summary>Radius (prior pixels) of the central aperture whose flux coverage is measured; clipped to half the image.</summary>
    public double ApertureRadius { get; init; } = 30;
    public Torch.Device Device { get; init; } = Torch.Device.CPU;
    public required string OutDir { get; init; }
}
