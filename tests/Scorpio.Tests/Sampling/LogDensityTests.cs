using Scorpio.Diffusion;
using Scorpio.Density;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// PF-ODE log-likelihood against the analytic Gaussian log-density. The ODE estimates log p_epsilon(x), the density at
/// the first grid time, which for Gaussian data is N(x; mu_e m, mu_e^2 C + sigma_e^2 I). Two stated tolerances:
/// <list type="bullet">
/// <item>0.003 nats against what an exact solver would return (<see cref="GaussianScore.PipelineLogDensity"/>): RK4 with
/// 64 steps on the log-sigma grid and float32 arithmetic (measured: below 1e-3);</item>
/// <item>0.1 nats against the analytic log p_epsilon(x): adds the prior's mismatch (N(0, PriorSigma^2) ignores the
/// data's mean mu_T m at T), about |m| |x_T - mu_T m| / sigma_T^2: measured 0.025 nats for VE (sigma_T = 50) 1.5 standard
/// deviations from the mean and 0.084 at 4, 0.016 and 0.052 for EDM, 0.008 and 0.027 for VP; zero at the mean.</item>
/// </list>
/// </summary>
public class LogDensityTests(ITestOutputHelper output)
{
    private static readonly double[][] Points =
    [
        [0.5, -1.0, 0.25, 1.5],     // the mean
        [1.2, -0.4, 0.1, 1.9],
        [-0.8, -2.1, 0.9, 1.0],
        [2.5, 0.5, -1.0, 2.5],      // ~4 sigma out
    ];

    private static Tensor Batch(double[][] rows) =>
        torch.FromArray(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), rows.Length, 1, 2, 2);

    [Theory]
    [InlineData("ve")]
    [InlineData("vp")]
    [InlineData("edm")]
    [InlineData("subvp")]
    public void Exact_divergence_log_likelihood_matches_the_analytic_density(string sdeName)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create(sdeName);
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var x = Batch(Points);
        using var rng = new Generator(1);
        var r = OdeLogDensity.LogDensity(g, sde, x, rng, new LogDensityOptions { Divergence = DivergenceEstimator.Exact });
        for (int i = 0; i < Points.Length; i++)
        {
            double exact = g.LogDensity(Points[i], sde.Epsilon);
            double solver = g.PipelineLogDensity(Points[i], sde.PriorSigma, sde.Epsilon);
            output.WriteLine($"{sdeName} point {i}: ODE {r.LogDensity[i]:F5} nats, exact-solver {solver:F5}, analytic log p_e {exact:F5} (log p_0 {g.LogDensity(Points[i], 0):F5})");
            Assert.Equal(solver, r.LogDensity[i], 0.003);
            Assert.Equal(exact, r.LogDensity[i], 0.1);
            Assert.Equal(r.PriorLogDensity[i] + r.Correction[i], r.LogDensity[i], 1e-9);
        }
        Assert.Equal(64 * 4, r.Nfe);
    }

    /// <summary>
    /// Hutchinson's estimator is unbiased: 1024 copies of one point, each with its own Rademacher probe, average to the
    /// exact-solver value within 4 standard errors plus the 0.003-nat solver tolerance.
    /// </summary>
    [Theory]
    [InlineData("vp")]
    [InlineData("ve")]
    public void Hutchinson_log_likelihood_is_unbiased(string sdeName)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create(sdeName);
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        const int copies = 1024;
        using var x = Batch(Enumerable.Repeat(Points[1], copies).ToArray());
        using var rng = new Generator(2);
        var r = OdeLogDensity.LogDensity(g, sde, x, rng, new LogDensityOptions { Steps = 32 });
        double mean = r.LogDensity.Average();
        double se = Math.Sqrt(r.LogDensity.Sum(v => (v - mean) * (v - mean)) / (copies - 1) / copies);
        double exact = g.PipelineLogDensity(Points[1], sde.PriorSigma, sde.Epsilon);
        output.WriteLine($"{sdeName}: Hutchinson mean {mean:F4} +- {se:F4} (per-probe sd {se * Math.Sqrt(copies):F3}), exact-solver value {exact:F4}");
        Assert.True(Math.Abs(mean - exact) < 4 * se + 0.003, $"{mean} vs {exact} (se {se})");
        Assert.True(se > 0, "the probes should differ between copies");
    }

    [Fact]
    public void Divergence_estimators_on_a_linear_map()
    {
        torch.NumThreads = 2;
        // f(x) = x A^T per sample: divergence = trace A = 1.5 exactly.
        double[] a = [1.0, 2.0, 0.0, -3.0, 0.5, 1.0, 0.0, 4.0, 0.0];
        using var m = torch.FromArray(a, 3, 3);
        using var rng = new Generator(3);
        using var x = torch.Randn([4096, 3], rng, DType.Float64);
        Tensor F(Tensor v) => v.Matmul(m.MT);
        var (value, div) = Divergence.Exact(F, x);
        using (value) using (div) Assert.All(div.ToDoubleArray(), d => Assert.Equal(1.5, d, 1e-12));
        using var probe = torch.Rademacher([4096, 3], rng, DType.Float64);
        var (v2, h) = Divergence.Hutchinson(F, x, [probe]);
        using (v2) using (h)
        {
            var est = h.ToDoubleArray();
            // Rademacher: v^T A v = trace A + sum_{i != j} A_ij v_i v_j; variance sum_{i<j} (A_ij + A_ji)^2 = 1 + 9 + 16 = 26.
            double mean = est.Average();
            Assert.True(Math.Abs(mean - 1.5) < 4 * Math.Sqrt(26.0 / 4096), $"Hutchinson mean {mean}");
        }
    }

    /// <summary>
    /// Units: a model of normalised data y = (x - a) / b gives log p_x(x) = log p_y(y) - D log b. With data N(m_x, C_x)
    /// in "physical" units and the exact score of the normalised data, the bits/dim computed through the normalisation's
    /// Jacobian equal the exact-solver bits/dim of x (to the 0.003-nat ODE tolerance, / (D ln 2) bits).
    /// </summary>
    [Fact]
    public void Bits_per_dim_through_the_normalisation_jacobian()
    {
        torch.NumThreads = 2;
        const double a = 100, b = 40; // physical = a + b * normalised
        var sde = new VpSde();
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        var physical = Points.Select(p => p.Select(v => a + b * v).ToArray()).ToArray();
        using var xPhys = Batch(physical);
        Tensor Normalise(Tensor x) => x.Sub(a).Div(b);
        var logJac = ElementwiseJacobian.LogAbsDet(Normalise, xPhys);
        Assert.All(logJac, j => Assert.Equal(-4 * Math.Log(b), j, 1e-9));
        using var y = Normalise(xPhys);
        using var rng = new Generator(4);
        var r = OdeLogDensity.LogDensity(g, sde, y, rng, new LogDensityOptions { Divergence = DivergenceEstimator.Exact });
        for (int i = 0; i < Points.Length; i++)
        {
            double bpd = BitsPerDim.FromLogDensity(r.LogDensity[i], 4, logJac[i]);
            double exact = -(g.PipelineLogDensity(Points[i], sde.PriorSigma, sde.Epsilon) - 4 * Math.Log(b)) / (4 * Math.Log(2));
            Assert.Equal(exact, bpd, 0.003 / (4 * Math.Log(2)));
        }
    }

    [Fact]
    public void Bits_per_dim_conventions()
    {
        // Standard normal at its mode: -log2 N(0; 0, 1) = log2(2 pi) / 2 = 1.3257 bits per dimension.
        Assert.Equal(0.5 * Math.Log2(2 * Math.PI), BitsPerDim.FromLogDensity(-8 * 0.5 * Math.Log(2 * Math.PI), 8), 1e-12);
        // Dequantised 8-bit data on [0, 1]: a uniform density (log p = 0) is exactly 8 bits per dimension.
        Assert.Equal(8.0, BitsPerDim.FromLogDensity(0, 100, quantum: 1 / 256.0), 1e-12);
        // The Jacobian of an elementwise map: asinh(x / s) has derivative 1 / sqrt(x^2 + s^2).
        using var x = torch.FromArray(new[] { 0.0, 3.0, -4.0, 10.0 }, 1, 4);
        var lj = ElementwiseJacobian.LogAbsDet(v => v.Div(2.0).Asinh(), x);
        double expected = new[] { 0.0, 3.0, -4.0, 10.0 }.Sum(v => -0.5 * Math.Log(v * v + 4));
        Assert.Equal(expected, lj[0], 1e-9);
        Assert.Throws<ArgumentException>(() => BitsPerDim.FromLogDensity(0, 0));
        Assert.Throws<ArgumentException>(() => BitsPerDim.FromLogDensity(0, 4, quantum: 0));
    }
}
