using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// The exact score of a mixture of isotropic Gaussians sum_k w_k N(m_k, s_k^2 I) pushed through an SDE:
/// p_t = sum_k w_k N(mu m_k, v_k I), v_k = mu^2 s_k^2 + sigma^2, and
/// grad log p_t(x) = -sum_k r_k(x) (x - mu m_k) / v_k with responsibilities r_k = softmax_k(log w_k + log N_k(x)).
/// A non-Gaussian target whose PF-ODE is curved, so sampler discretisation errors show.
/// (Not differentiable-friendly by design: it is only used for sampling.)
/// </summary>
internal sealed class GaussianMixtureScore(Sde sde, double[] weights, double[][] means, double[] widths) : IScoreFunction
{
    public int Dim => means[0].Length;

    /// <summary>
    /// The score for one time shared by the batch (what samplers pass). Written as elementwise operations on
    /// contiguous per-coordinate columns (B,): libtorch's broadcasting reductions over tiny axes (softmax over K = 3)
    /// are slow on CPU, and this keeps the sampler tests fast.
    /// </summary>
    public Tensor Score(Tensor x, Tensor t)
    {
        var times = t.ToDoubleArray();
        if (times.Any(ti => ti != times[0])) throw new ArgumentException("GaussianMixtureScore needs one time for the whole batch");
        double mu = sde.Mu(times[0]), sigma = sde.Sigma(times[0]);
        long b = x.Size(0);
        int d = Dim, k = weights.Length;
        using var scope = torch.NewDisposeScope();
        var flat = x.Reshape(b, d);
        var columns = Enumerable.Range(0, d).Select(j => flat.Select(1, j).Contiguous()).ToArray();
        var logp = new Tensor[k];
        var diffs = new Tensor[k][];
        var variances = new double[k];
        for (int c = 0; c < k; c++)
        {
            double v = mu * mu * widths[c] * widths[c] + sigma * sigma;
            variances[c] = v;
            diffs[c] = columns.Select((col, j) => col.Sub(mu * means[c][j])).ToArray();
            var q = diffs[c][0].Square();
            for (int j = 1; j < d; j++) q = q.Add(diffs[c][j].Square());
            logp[c] = q.Mul(-0.5 / v).Add(Math.Log(weights[c]) - 0.5 * d * Math.Log(v));
        }
        var max = logp[0];
        for (int c = 1; c < k; c++) max = max.Maximum(logp[c]);
        var r = logp.Select(l => l.Sub(max).Exp()).ToArray();
        var norm = r[0];
        for (int c = 1; c < k; c++) norm = norm.Add(r[c]);
        var result = new Tensor[d];
        for (int j = 0; j < d; j++)
        {
            var acc = r[0].Mul(diffs[0][j]).Div(variances[0]);
            for (int c = 1; c < k; c++) acc = acc.Add(r[c].Mul(diffs[c][j]), 1 / variances[c]);
            result[j] = acc.Div(norm).Neg();
        }
        return torch.Stack(result, 1).Reshape(x.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>CDF at <paramref name="z"/> of the projection u . x_0 (a 1-D Gaussian mixture), for a unit vector u.</summary>
    public double ProjectedCdf(double[] u, double z)
    {
        double f = 0;
        for (int c = 0; c < weights.Length; c++)
        {
            double centre = 0;
            for (int j = 0; j < Dim; j++) centre += u[j] * means[c][j];
            f += weights[c] * SampleStatistics.NormalCdf((z - centre) / widths[c]);
        }
        return f;
    }

    /// <summary>Exact draws of x_0 as a host array [n][d].</summary>
    public double[][] SampleData(int n, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var result = new double[n][];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble(), acc = 0;
            int c = 0;
            for (; c < weights.Length - 1; c++) { acc += weights[c]; if (u < acc) break; }
            result[i] = new double[Dim];
            for (int j = 0; j < Dim; j++) result[i][j] = means[c][j] + widths[c] * Normal();
        }
        return result;
    }
}
