using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>Settings of <see cref="PriorSampling"/>: the sampler, how many samples, in batches of how many, and the seed.</summary>
public sealed record PriorSamplingOptions
{
    /// <summary>The sampler (<see cref="SamplerRegistry.Get"/>).</summary>
    public required SamplerDefinition Sampler { get; init; }
    /// <summary>Its settings (steps, grid, denoising, eta, churn, corrector).</summary>
    public SamplerOptions Settings { get; init; } = new();
    /// <summary>Number of samples.</summary>
    public required int Count { get; init; }
    /// <summary>Samples drawn at once (memory only: the samples do not depend on it).</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Run seed: sample k draws from <see cref="SampleNoise.SeedFor"/>(seed, k).</summary>
    public long Seed { get; init; }
    /// <summary>
    /// Index in the run of the first sample drawn (a block of a sharded run, <see cref="Catalogues.CatalogueJob"/>): the samples
    /// are those of indices First .. First + Count - 1 of the run, identical to the same indices of an unsharded run.
    /// </summary>
    public long First { get; init; }
    /// <summary>Where to sample (the score's device).</summary>
    public Device Device { get; init; } = Device.CPU;
}
