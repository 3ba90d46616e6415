namespace Scorpio.Posterior;

/// <summary>Everything <see cref="PosteriorPipeline.Run"/> needs (the CLI maps flags to it).</summary>
public sealed record PosteriorRequest
{
    /// <summary>The problem, built once (<see cref="InverseProblemBuilder"/>); its prior is the one sampled.</summary>
    public required InverseProblem Problem { get; init; }
    /// <summary>A name from <see cref="PosteriorMethods"/> (mmps, score, dps); null = <see cref="PosteriorMethods.DefaultFor"/> the problem's noise.</summary>
    public string? Method { get; init; }
    /// <summary>How the method runs (sampler, steps, grid, zeta).</summary>
    public PosteriorSettings Settings { get; init; } = new();
    /// <summary>Number of posterior samples.</summary>
    public int Count { get; init; } = 16;
    /// <summary>Prior samples for the variance ratio (0 = skip it).</summary>
    public int PriorCount { get; init; } = 16;
    /// <summary>Samples drawn at once (memory); null = all. Results do not depend on it.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Seed of every draw: sample k's generators come from (seed, k) whatever the batch.</summary>
    public long Seed { get; init; }
    /// <summary>Central aperture radius (model pixels) for the variance ratio (Spagnoletti et al. 2024: 30).</summary>
    public double ApertureRadius { get; init; } = 30;
    public Torch.Device Device { get; init; } = Torch.Device.CPU;
    public required string OutDir { get; init; }
}
