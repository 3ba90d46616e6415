namespace Scorpio.Density;

/// <summary>
/// Converts log-densities to bits per dimension, bpd = -log2 p / D.
/// <para>A density depends on the units of x: a model works on y = N(x), the normalised data, so
/// log p_x(x) = log p_y(N(x)) + log|det dN/dx|, the second term from <see cref="ElementwiseJacobian"/>.
/// bits/dim of continuous data in physical units therefore changes by log2(a) when the unit is divided by a;
/// compare values only for the same data units.</para>
/// <para>Dequantisation: for data recorded on a grid of step q (integers: q = 1 ADU; 8-bit images scaled to [0, 1]:
/// q = 1/256), evaluating the density at x + u with u ~ U(0, q)^D gives the lower bound
/// log P(x) &gt;= E_u[log p(x + u)] + D log q on the probability of the discrete value (Theis et al. 2016), i.e.
/// bpd = -(log p(x + u) + D ln q) / (D ln 2): the standard bits/dim of image models when q = 1/256 on [0, 1].</para>
/// </summary>
public static class BitsPerDim
{
    /// <summary>
    /// bits/dim from a log-density <paramref name="logDensity"/> (nats, in the units the model sees),
    /// the log-Jacobian <paramref name="logJacobian"/> of the normalisation (nats; 0 for the model's own units) and,
    /// for dequantised discrete data, the quantisation step <paramref name="quantum"/> (physical units; null for continuous data).
    /// </summary>
    public static double FromLogDensity(double logDensity, long dimensions, double logJacobian = 0, double? quantum = null)
    {
        if (dimensions < 1) throw new ArgumentException($"dimensions must be >= 1 (got {dimensions})");
        if (quantum is double q && !(q > 0)) throw new ArgumentException($"the quantisation step must be positive (got {q})");
        double logp = logDensity + logJacobian + (quantum is double step ? dimensions * Math.Log(step) : 0);
        return -logp / (dimensions * Math.Log(2));
    }
}
