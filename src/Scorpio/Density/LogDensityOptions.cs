namespace Scorpio.Density;

/// <summary>Settings of the probability-flow log-likelihood (<see cref="OdeLogDensity"/>).</summary>
public sealed record LogDensityOptions
{
    /// <summary>RK4 steps from epsilon to T (4 score evaluations and 4 x probes backward passes each).</summary>
    public int Steps { get; init; } = 64;
    /// <summary>Time grid (uniform, karras or log-sigma); log-sigma spaces the steps evenly in log(sigma/mu).</summary>
    public string Grid { get; init; } = "log-sigma";
    /// <summary>Divergence estimator; Hutchinson by default, Exact costs one backward pass per dimension.</summary>
    public DivergenceEstimator Divergence { get; init; } = DivergenceEstimator.Hutchinson;
    /// <summary>Hutchinson probes per sample, fixed along the trajectory and averaged.</summary>
    public int Probes { get; init; } = 1;
    /// <summary>Probe distribution: rademacher (lower variance) or gaussian.</summary>
    public string ProbeDistribution { get; init; } = "rademacher";
}
