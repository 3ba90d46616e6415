namespace Scorpio.Density;

/// <summary>
/// Per-sample results of <see cref="OdeLogDensity.LogDensity"/>, all in nats in the model's normalised units:
/// <paramref name="LogDensity"/> = log p_epsilon(x) = <paramref name="PriorLogDensity"/> + <paramref name="Correction"/>,
/// with the prior term log p_T(x_T) at the end of the flow and the integrated divergence from epsilon to T.
/// <paramref name="Nfe"/> counts score evaluations for the whole batch.
/// </summary>
public sealed record LogDensityResult(double[] LogDensity, double[] PriorLogDensity, double[] Correction, long Nfe);
