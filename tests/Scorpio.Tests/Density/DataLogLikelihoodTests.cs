using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Density;
using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Tests.Sampling;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Density;

/// <summary>
/// <see cref="DataLogLikelihood"/> (what <c>scorpio loglik</c> runs) on Gaussian data with its exact score. The model sees
/// z ~ N(m, C) (D = 4, as (1, 2, 2) images); the data are x = p z + q0 in "physical" units, undone by a linear normalisation
/// (standardize with mean q0 and std p, or minmax-dataset with lo, hi such that (hi - lo) / 2 = p), so that
/// log p_x(x) = log N(z; m, C) - D log p and bits/dim = -log2 p_x(x) / D. Tolerances:
/// <list type="bullet">
/// <item>against what an exact ODE solver returns (<see cref="GaussianScore.PipelineLogDensity"/> minus D log p): 0.003 nats
/// per image, as in <see cref="LogDensityTests"/> (64 RK4 steps, exact divergence, float32: measured below 1e-3), i.e.
/// 0.003 / (D ln 2) = 0.0011 bits/dim;</item>
/// <item>against the analytic -log2 N(x; p m + q0, p^2 C) / D of the data at t = 0: adds the two known approximations of the
/// PF-ODE likelihood, the density at time epsilon instead of 0 (smoothing by sigma(epsilon): sigma^2 = 1e-4 for VP,
/// 4e-6 for EDM, against eigenvalues of C of 0.1 or more: below 0.003 nats) and the prior's mismatch at T (below 0.02 nats
/// within 1.5 standard deviations of the mean, measured in <see cref="LogDensityTests"/>): 0.03 nats = 0.011 bits/dim.</item>
/// </list>
/// </summary>
public class DataLogLikelihoodTests(ITestOutputHelper output)
{
    private const double P = 40, Q0 = 100; // physical = P * normalised + Q0
    private const int D = 4;

    // Points in normalised units within ~1.5 standard deviations of the mean (the prior mismatch grows further out).
    private static readonly double[][] Points =
    [
        [0.5, -1.0, 0.25, 1.5],
        [1.2, -0.4, 0.1, 1.9],
        [-0.3, -1.6, 0.6, 1.2],
        [0.9, -0.2, -0.3, 1.4],
        [0.0, -1.5, 0.5, 1.6],
    ];

    private static Normalization Linear(string kind) => kind switch
    {
        "standardize" => Normalization.FromConfig(new NormalizationConfig { Kind = "standardize", Mean = [Q0], Std = [P] }),
        // 2 (x - lo) / (hi - lo) - 1 = (x - Q0) / P with lo = Q0 - P, hi = Q0 + P.
        "minmax-dataset" => Normalization.FromConfig(new NormalizationConfig { Kind = "minmax-dataset", Low = [Q0 - P], High = [Q0 + P] }),
        _ => throw new ArgumentException(kind),
    };

    private static Tensor Physical(double[][] rows) =>
        torch.FromArray(rows.SelectMany(r => r.Select(v => (float)(P * v + Q0))).ToArray(), rows.Length, 1, 2, 2);

    private static double[] Normalised(float[] physical) => physical.Select(v => ((double)v - Q0) / P).ToArray();

    private static double Bits(double logDensityNats) => -logDensityNats / (D * Math.Log(2));

    private static readonly DataLogLikelihoodOptions Exact = new() { Ode = new LogDensityOptions { Divergence = DivergenceEstimator.Exact }, BatchSize = 8 };

    [Theory]
    [InlineData("vp", "standardize")]
    [InlineData("edm", "minmax-dataset")]
    public void Bits_per_dim_in_physical_units_match_the_analytic_gaussian(string sdeName, string kind)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create(sdeName);
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var x = Physical(Points);
        var r = DataLogLikelihood.Evaluate(g, sde, Linear(kind), x, Exact, Device.CPU);
        Assert.Equal(Points.Length, r.Count);
        Assert.Equal(D, r.Dimensions);
        Assert.Equal(0, r.ClippedPixels);
        double jacobian = -D * Math.Log(P);
        for (int i = 0; i < Points.Length; i++)
        {
            double solver = Bits(g.PipelineLogDensity(Points[i], sde.PriorSigma, sde.Epsilon) + jacobian);
            double analytic = Bits(g.LogDensity(Points[i], 0) + jacobian);
            output.WriteLine($"{sdeName}/{kind} image {i}: library {r.BitsPerDim[i]:F6} bits/dim, exact solver {solver:F6}, analytic N(x; m, C) {analytic:F6}");
            Assert.Equal(solver, r.BitsPerDim[i], 0.003 / (D * Math.Log(2)));
            Assert.Equal(analytic, r.BitsPerDim[i], 0.03 / (D * Math.Log(2)));
            Assert.Equal(-r.BitsPerDim[i] * D * Math.Log(2), r.LogLikelihood[i], 1e-9);
        }
        double mean = r.BitsPerDim.Average();
        Assert.Equal(mean, r.MeanBitsPerDim, 1e-12);
        double se = Math.Sqrt(r.BitsPerDim.Sum(v => (v - mean) * (v - mean)) / (Points.Length - 1) / Points.Length);
        Assert.Equal(se, r.StandardError!.Value, 1e-12);
    }

    [Fact]
    public void Normalised_units_leave_out_the_jacobian()
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create("vp");
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var x = Physical(Points[..2]);
        var physical = DataLogLikelihood.Evaluate(g, sde, Linear("standardize"), x, Exact, Device.CPU);
        var normalised = DataLogLikelihood.Evaluate(g, sde, Linear("standardize"), x, Exact with { Units = DensityUnits.Normalised }, Device.CPU);
        for (int i = 0; i < 2; i++) Assert.Equal(physical.BitsPerDim[i] - Math.Log2(P), normalised.BitsPerDim[i], 1e-9);
    }

    /// <summary>
    /// Dequantisation with quantum q (physical units): image k is evaluated at x + u_k, u_k ~ U(0, q)^D drawn from its own
    /// generator, and bits/dim = -(log p(x + u_k) + D ln q) / (D ln 2). Two checks: (1) per image, exactly that value for the
    /// u_k the test redraws from <see cref="SampleNoise.PerSample"/>(seed, k) (to the 0.003-nat solver tolerance); (2) the mean
    /// over 256 copies of one image equals the analytic expectation E_u[-log2 p(x + u)] / D - log2 q within 4 standard
    /// errors plus the solver tolerance, where for a Gaussian E_u[log N(x + u; mu, S)] = log N(x + q/2; mu, S) - q^2 tr(S^-1) / 24
    /// (u has mean q/2 and covariance q^2 I / 12).
    /// </summary>
    [Fact]
    public void Dequantised_bits_per_dim_match_the_expected_value()
    {
        torch.NumThreads = 2;
        const double q = 8; // physical units: 0.2 in normalised units, comparable with the smallest standard deviation (0.3)
        const long seed = 11;
        var sde = TestSdes.Create("vp");
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        var norm = Linear("standardize");
        double jacobian = -D * Math.Log(P), tolerance = 0.003 / (D * Math.Log(2));
        var options = Exact with { Quantum = q, Seed = seed, BatchSize = 64 };

        using (var x = Physical(Points))
        {
            var r = DataLogLikelihood.Evaluate(g, sde, norm, x, options, Device.CPU);
            var pixels = x.ToFloatArray();
            for (int k = 0; k < Points.Length; k++)
            {
                using var noise = SampleNoise.PerSample(seed, k, 1, Device.CPU);
                using var image = torch.FromArray(pixels[(k * D)..((k + 1) * D)], 1, 1, 2, 2);
                using var u = noise.RandLike(image);
                using var scaled = u.Mul(q);
                using var dequantised = image.Add(scaled);
                var z = Normalised(dequantised.ToFloatArray());
                double expected = Bits(g.PipelineLogDensity(z, sde.PriorSigma, sde.Epsilon) + jacobian + D * Math.Log(q));
                Assert.Equal(expected, r.BitsPerDim[k], tolerance);
            }
        }

        const int copies = 256;
        using var same = Physical(Enumerable.Repeat(Points[1], copies).ToArray());
        var rc = DataLogLikelihood.Evaluate(g, sde, norm, same, options, Device.CPU);
        double mean = rc.MeanBitsPerDim, se = rc.StandardError!.Value;
        // The exact-solver density at epsilon is Gaussian: N(mu_e m, mu_e^2 C + sigma_e^2 I), up to the prior mismatch, which
        // PipelineLogDensity includes; use the analytic Gaussian at epsilon for the expectation and bound the mismatch by
        // its value at the mean shift (the mismatch is smooth over a cell of 0.2).
        var shifted = Points[1].Select(v => v + q / 2 / P).ToArray();
        double mismatch = g.PipelineLogDensity(shifted, sde.PriorSigma, sde.Epsilon) - g.LogDensity(shifted, sde.Epsilon);
        double trace = TraceOfInverse(sde, sde.Epsilon);
        double expectedLogp = g.LogDensity(shifted, sde.Epsilon) - Math.Pow(q / P, 2) * trace / 24 + mismatch;
        double analytic = Bits(expectedLogp + jacobian + D * Math.Log(q));
        output.WriteLine($"dequantised: library mean {mean:F5} +- {se:F5} bits/dim over {copies} draws of u; analytic E_u {analytic:F5}");
        Assert.True(se > 0, "each copy should draw its own u");
        Assert.True(Math.Abs(mean - analytic) < 4 * se + 2 * tolerance, $"{mean} vs {analytic} (se {se})");
    }

    // tr((mu^2 C + sigma^2 I)^-1) at time t, from the eigenvalues of C.
    private static double TraceOfInverse(Sde sde, double t)
    {
        using var c = torch.FromArray(GaussianScore.Flatten(TestSdes.Covariance), D, D);
        var (values, vectors) = torch.Eigh(c);
        using (values) using (vectors)
        {
            double mu = sde.Mu(t), s = sde.Sigma(t);
            return values.ToDoubleArray().Sum(l => 1 / (mu * mu * l + s * s));
        }
    }

    /// <summary>
    /// Per-image draws (dequantisation noise, Hutchinson probes) come from (seed, image index), so image k gets the same value
    /// whatever the batch size: batches of 1 and of 3 over 5 images give identical per-image results.
    /// </summary>
    [Fact]
    public void Per_image_values_do_not_depend_on_the_batch_size()
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create("vp");
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var x = Physical(Points);
        var options = new DataLogLikelihoodOptions { Ode = new LogDensityOptions { Steps = 16, Probes = 2 }, Quantum = 1, Seed = 5 };
        var one = DataLogLikelihood.Evaluate(g, sde, Linear("standardize"), x, options with { BatchSize = 1 }, Device.CPU);
        var three = DataLogLikelihood.Evaluate(g, sde, Linear("standardize"), x, options with { BatchSize = 3 }, Device.CPU);
        Assert.Equal(one.BitsPerDim, three.BitsPerDim);
        Assert.Equal(one.LogLikelihood, three.LogLikelihood);
        var other = DataLogLikelihood.Evaluate(g, sde, Linear("standardize"), x, options with { BatchSize = 3, Seed = 6 }, Device.CPU);
        Assert.NotEqual(one.BitsPerDim, other.BitsPerDim);
    }

    [Fact]
    public void Settings_errors_name_their_parameter()
    {
        var sde = TestSdes.Create("vp");
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var x = Physical(Points[..1]);
        string Parameter(DataLogLikelihoodOptions o, Normalization? n = null) =>
            Assert.Throws<InvalidSettingException>(() => DataLogLikelihood.Evaluate(g, sde, n ?? Linear("standardize"), x, o, Device.CPU)).Parameter;
        Assert.Equal("batchSize", Parameter(Exact with { BatchSize = 0 }));
        Assert.Equal("steps", Parameter(Exact with { Ode = new LogDensityOptions { Steps = 0 } }));
        Assert.Equal("probes", Parameter(Exact with { Ode = new LogDensityOptions { Probes = 0 } }));
        Assert.Equal("quantum", Parameter(Exact with { Quantum = 0 }));
        var perImage = Normalization.FromConfig(new NormalizationConfig { Kind = "minmax-image", Low = [-1], High = [1] });
        Assert.Equal("units", Parameter(Exact, perImage));
    }
}
