using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Density;

/// <summary>Settings of <see cref="DataLogLikelihood.Evaluate(IScoreFunction, Sde, Normalization, Tensor, DataLogLikelihoodOptions, Device, Action{BatchProgress}?)"/>.</summary>
public sealed record DataLogLikelihoodOptions
{
    /// <summary>The probability-flow integration: RK4 steps, divergence estimator, probes.</summary>
    public LogDensityOptions Ode { get; init; } = new();
    /// <summary>Images per batch (memory only: results do not depend on it).</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Physical (through the normalisation's Jacobian) or normalised units.</summary>
    public DensityUnits Units { get; init; } = DensityUnits.Physical;
    /// <summary>Dequantisation step q in physical units (1 for integer counts), or null for continuous data.</summary>
    public double? Quantum { get; init; }
    /// <summary>Seed of the per-image draws (dequantisation noise, Hutchinson probes).</summary>
    public long Seed { get; init; }
}
