using Scorpio.Likelihoods;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// A non-Gaussian detector noise with an exact, analytic score, standing in for a learned noise model in the SLIC test:
/// eta_ij = c_j + w_ij + h_ij with a 1/f-like stripe c_j ~ N(0, s_c^2) constant along each column (the fast-read
/// direction), white read noise w_ij ~ N(0, s_w^2), and cosmic-ray hits h_ij = b_ij g_ij with b ~ Bernoulli(p),
/// g ~ N(m_cr, s_cr^2) (positive). Under the perturbation v = mu eta + sigma z (A = identity) each column is, given c_j,
/// a product of two-component Gaussian mixtures; c_j is integrated out by quadrature on 401 nodes over +-6 s_c (spacing 1.2 times the narrowest conditional width of c_j, where the trapezoid rule for a Gaussian is accurate to ~1e-6), so the
/// score grad_v log q(v) is exact to quadrature accuracy. Using it in place of a trained network isolates SLIC's logic
/// from training noise (a trained variant is the optional long test).
/// </summary>
internal sealed class StripeCosmicRayNoise(long[] shape, double stripe = 0.3, double white = 0.03, double rate = 0.03,
    double rayMean = 2.0, double raySigma = 0.5) : INoiseScore
{
    private const int Nodes = 401;

    public long[] Shape { get; } = shape;

    /// <summary>Total standard deviation of eta (what a white Gaussian likelihood would use).</summary>
    public double TotalSigma => Math.Sqrt(stripe * stripe + white * white + rate * (raySigma * raySigma + rayMean * rayMean) - Math.Pow(rate * rayMean, 2));

    /// <summary>n noise images (n, C, H, W), float32.</summary>
    public Tensor Draw(int n, Generator rng)
    {
        using var scope = torch.NewDisposeScope();
        long c = Shape[0], h = Shape[1], w = Shape[2];
        var stripes = torch.Randn([n, c, 1, w], rng, DType.Float64).Mul(stripe);
        var reads = torch.Randn([n, c, h, w], rng, DType.Float64).Mul(white);
        var hits = torch.Rand([n, c, h, w], rng, DType.Float64).Lt(rate).To(DType.Float64);
        var rays = torch.Randn([n, c, h, w], rng, DType.Float64).Mul(raySigma).Add(rayMean).Mul(hits);
        return stripes.Add(reads).Add(rays).To(DType.Float32).MoveToOuterDisposeScope();
    }

    public Tensor Score(Tensor v, Tensor muPerSample, Tensor sigmaPerSample)
    {
        // The quadrature is set up for one (mu, sigma): a test helper may read them (samplers pass one time per batch).
        double mu = muPerSample.ToDoubleArray()[0], sigma = sigmaPerSample.ToDoubleArray()[0];
        using var scope = torch.NewDisposeScope();
        var x = v.To(DType.Float64).Unsqueeze(1);                          // (B, 1, C, H, W)
        var nodes = Enumerable.Range(0, Nodes).Select(k => -6 * stripe + 12 * stripe * k / (Nodes - 1)).ToArray();
        var logWeights = nodes.Select(c => -0.5 * c * c / (stripe * stripe)).ToArray();
        var cNodes = torch.FromArray(nodes.Select(c => mu * c).ToArray(), 1, Nodes, 1, 1, 1);
        var d = x.Sub(cNodes);                                              // (B, K, C, H, W): v - mu c
        double var0 = mu * mu * white * white + sigma * sigma;
        double var1 = mu * mu * (white * white + raySigma * raySigma) + sigma * sigma;
        double m1 = mu * rayMean;
        var l0 = d.Square().Mul(-0.5 / var0).Add(Math.Log(1 - rate) - 0.5 * Math.Log(2 * Math.PI * var0));
        var d1 = d.Sub(m1);
        var l1 = d1.Square().Mul(-0.5 / var1).Add(Math.Log(rate) - 0.5 * Math.Log(2 * Math.PI * var1));
        var both = torch.Stack([l0, l1], 0);                                // (2, B, K, C, H, W)
        var logMix = both.LogSumExp([0]);                                   // log m(v_ij - mu c_k)
        var resp1 = l1.Sub(logMix).Exp();                                   // P(hit | v, c)
        var dlog = d.Mul(-1.0 / var0).Mul(resp1.Neg().Add(1.0)).Add(d1.Mul(-1.0 / var1).Mul(resp1));
        var column = logMix.Sum(3, keepDim: true);                           // (B, K, C, 1, W): sum over rows
        var prior = torch.FromArray(logWeights, 1, Nodes, 1, 1, 1);
        var post = torch.Softmax(column.Add(prior), 1);                     // P(c_k | column)
        var score = post.Mul(dlog).Sum(1);
        return score.To(v.DType).MoveToOuterDisposeScope();
    }
}
