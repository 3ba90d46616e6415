namespace Scorpio.Density;

/// <summary>How the divergence of the probability-flow velocity is computed.</summary>
public enum DivergenceEstimator
{
    /// <summary>Hutchinson-Skilling: E[v^T J v] with fixed Rademacher or Gaussian probes v (one backward pass per probe).</summary>
    Hutchinson,
    /// <summary>The trace of the Jacobian, one backward pass per dimension: only for small inputs.</summary>
    Exact,
}
