using Scorpio.Astro.Numerics;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Tests;

public class StatisticsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Wasserstein_of_two_shifted_normals_equals_the_shift()
    {
        // W1 between N(0,1) and N(0.7,1) is exactly 0.7 (a translation moves all mass by 0.7).
        // With 20,000 draws each, the empirical W1 is within ~0.02 of it.
        var rng = new SeededRandom(1);
        var u = Enumerable.Range(0, 20000).Select(_ => rng.NextGaussian()).ToArray();
        var v = Enumerable.Range(0, 20000).Select(_ => 0.7 + rng.NextGaussian()).ToArray();
        Assert.InRange(Wasserstein.Distance(u, v), 0.68, 0.72);
    }

    [Fact]
    public void Wasserstein_is_exact_for_small_unequal_samples()
    {
        // u = {0, 1}, v = {0.5}: CDF difference is 1/2 on [0, 0.5) and 1/2 on [0.5, 1): W1 = 0.5.
        Assert.Equal(0.5, Wasserstein.Distance(new[] { 0.0, 1.0 }, new[] { 0.5 }), 12);
        // u = {0, 0, 3}, v = {1, 2}: |U - V| = 2/3 on [0,1), 1/6 on [1,2), 1/3 on [2,3): total 7/6.
        Assert.Equal(7.0 / 6.0, Wasserstein.Distance(new[] { 0.0, 0.0, 3.0 }, new[] { 1.0, 2.0 }), 12);
        Assert.Equal(0, Wasserstein.Distance(new[] { 1.0, 2.0, 3.0 }, new[] { 3.0, 1.0, 2.0 }), 12);
    }

    [Fact]
    public void Cohens_d_matches_equation_16()
    {
        // Means 1 and 0, standard deviations 1 and 2: d = sqrt(2 / (1 + 4)) * 1 = 0.6325.
        Assert.Equal(Math.Sqrt(0.4), CohensD.FromMoments(1, 1, 0, 2), 12);
        // Samples {0, 2} (mean 1, ML std 1) and {-1, 1} (mean 0, std 1): d = sqrt(2/2) * 1 = 1.
        Assert.Equal(1.0, CohensD.Compute(new[] { 0.0, 2.0 }, new[] { -1.0, 1.0 }), 12);
        // Large samples from N(0.5, 1) and N(0, 1): d -> 0.5.
        var rng = new SeededRandom(2);
        var u = Enumerable.Range(0, 50000).Select(_ => 0.5 + rng.NextGaussian()).ToArray();
        var v = Enumerable.Range(0, 50000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.InRange(CohensD.Compute(u, v), 0.48, 0.52);
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(3.0, 2.0)]
    [InlineData(49.5, 60.0)]
    [InlineData(0.5, 0.001)]
    public void Incomplete_gamma_is_consistent_and_inverts(double a, double x)
    {
        double p = GammaFunctions.RegularizedP(a, x), q = GammaFunctions.RegularizedQ(a, x);
        Assert.Equal(1.0, p + q, 12);
        Assert.Equal(x, GammaFunctions.InverseQ(a, q), 8);
    }

    [Fact]
    public void Chi_square_matches_known_values()
    {
        // chi^2(2) survival is exp(-x/2); chi^2(1) survival at 3.841459 is 0.05; chi^2(99) 95% point 123.2252.
        Assert.Equal(Math.Exp(-1.5), ChiSquared.Survival(3, 2), 12);
        Assert.Equal(0.05, ChiSquared.Survival(3.841458820694124, 1), 9);
        Assert.Equal(123.2252, ChiSquared.InverseSurvival(0.05, 99), 3);
        // Far tail still inverts (p = 1e-200).
        double x = ChiSquared.InverseSurvival(1e-200, 10);
        Assert.InRange(ChiSquared.Survival(x, 10) / 1e-200, 0.999999, 1.000001);
        Assert.Equal(Math.Log(24), GammaFunctions.LogGamma(5), 12);
    }

    [Fact]
    public void Ks_test_accepts_uniform_and_rejects_skewed_values()
    {
        var rng = new SeededRandom(3);
        var uniform = Enumerable.Range(0, 500).Select(_ => rng.NextDouble()).ToArray();
        var skewed = uniform.Select(u => u * u).ToArray();
        Assert.True(KolmogorovSmirnov.UniformTest(uniform).PValue > 0.01);
        Assert.True(KolmogorovSmirnov.UniformTest(skewed).PValue < 1e-6);
    }

    /// <summary>
    /// AR(1) chains x_t = phi x_t-1 + sqrt(1 - phi^2) e_t started in equilibrium have integrated autocorrelation time
    /// tau = (1 + phi) / (1 - phi), so ESS = M N / tau: phi = 0.9 gives tau = 19 and, for 4 chains of 5000, ESS 1052.6;
    /// phi = 0 gives ESS = M N; phi = -0.5 gives tau = 1/3, ESS = 3 M N. The estimator's spread at these lengths is
    /// a few per cent (sd of tau-hat ~ tau sqrt(4 K / N) for a window of K ~ 3 tau lags: ~6% at phi = 0.9): bounds +-15%
    /// (measured ratios 1.035, 0.988 and 1.088).
    /// Chains stuck at different values are worth about one draw per two chains (M N / (2N - 1)).
    /// </summary>
    [Theory]
    [InlineData(0.9)]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    public void Effective_sample_size_of_AR1_chains_matches_their_autocorrelation_time(double phi)
    {
        const int chains = 4, length = 5000;
        var rng = new SeededRandom(3);
        var x = new double[chains][];
        for (int c = 0; c < chains; c++)
        {
            x[c] = new double[length];
            double v = rng.NextGaussian();
            for (int i = 0; i < length; i++) x[c][i] = v = phi * v + Math.Sqrt(1 - phi * phi) * rng.NextGaussian();
        }
        double expected = chains * length * (1 - phi) / (1 + phi);
        double ess = EffectiveSampleSize.Compute(x);
        output.WriteLine($"phi {phi}: ESS {ess:F1}, expected {expected:F1} (ratio {ess / expected:F3})");
        Assert.InRange(ess / expected, 0.85, 1.15);

        var stuck = Enumerable.Range(0, chains).Select(c => (IReadOnlyList<double>)Enumerable.Repeat((double)c, 10).ToArray()).ToArray();
        Assert.Equal(chains * 10.0 / 19, EffectiveSampleSize.Compute(stuck), 9);
    }
}
