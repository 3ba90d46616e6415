using Scorpio.Sampling;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// Deterministic samplers on Gaussian data, without Monte-Carlo error: the exact mean and covariance of each sampler's
/// output (<see cref="SamplerTestKit.PopulationMoments"/>) against those of the exact pipeline (PF-ODE transport of the
/// SDE prior plus Tweedie, <see cref="GaussianScore.ExactPipelineMoments"/>), in the target's whitened units (an error of
/// 0.01 is a 1% error in a standard deviation-scaled mean or a covariance entry). What remains is pure discretisation.
/// </summary>
public class DeterministicSamplerExactTests(ITestOutputHelper output)
{
    private (double Mean, double Cov) Error(string sampler, string sdeName, int steps, string? grid = null)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create(sdeName);
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        var options = new SamplerOptions { Steps = steps, Grid = grid };
        var (mean, cov) = SamplerTestKit.PopulationMoments(sampler, sde, g, options);
        var grid0 = SamplerRegistry.Grid(SamplerRegistry.Get(sampler), sde, options);
        var (em, ec) = g.ExactPipelineMoments(sde.PriorSigma, grid0[^1]);
        var e = SampleStatistics.WhitenedDistance(mean, cov, em, ec, TestSdes.Covariance);
        output.WriteLine($"{sampler} on {sdeName}, K = {steps}: mean error {e.MeanError:F5}, covariance error {e.CovError:F5}");
        return e;
    }

    // Tolerances are about twice the errors measured when the tests were written (in the comment), so a real change
    // of accuracy fails while libtorch's rounding does not matter (errors are 1e-4 or more).
    [Theory]
    [InlineData("ode-euler", "vp", 400, 0.010)]       // measured 0.0043: Euler is first order
    [InlineData("ode-euler", "edm", 400, 0.06)]       // 0.027
    [InlineData("ode-heun", "vp", 50, 0.012)]         // 0.0063
    [InlineData("ode-heun", "edm", 72, 0.02)]         // 0.011
    [InlineData("ode-rk4", "ve", 18, 0.007)]          // 0.0032
    [InlineData("ode-rk4", "vp", 18, 0.001)]          // 0.00044
    [InlineData("ode-rk4", "edm", 18, 0.007)]         // 0.0035
    [InlineData("edm-heun", "ve", 72, 0.016)]         // 0.0076
    [InlineData("edm-heun", "vp", 72, 0.025)]         // 0.012
    [InlineData("edm-heun", "edm", 72, 0.025)]        // 0.011
    [InlineData("edm-heun", "ddpm", 72, 0.025)]       // 0.012
    [InlineData("ddim", "ddpm", 1000, 0.02)]          // 0.010 (every DDPM step)
    [InlineData("ddim", "vp", 400, 0.05)]             // 0.026
    [InlineData("dpm-solver++2m", "vp", 72, 0.01)]    // 0.0045
    [InlineData("dpm-solver++2m", "ve", 72, 0.01)]    // 0.0036
    [InlineData("dpm-solver++2m", "edm", 72, 0.012)]  // 0.0055
    [InlineData("dpm-solver++2m", "ddpm", 72, 0.01)]  // 0.0050
    public void Deterministic_sampler_matches_the_exact_flow(string sampler, string sde, int steps, double tolerance)
    {
        var (mean, cov) = Error(sampler, sde, steps);
        Assert.True(mean < tolerance, $"mean error {mean:F5} >= {tolerance}");
        Assert.True(cov < tolerance, $"covariance error {cov:F5} >= {tolerance}");
    }

    /// <summary>
    /// Doubling the number of steps divides the error by 2^p for a method of order p: a wrong coefficient in a
    /// second-order method leaves it first order, which this catches even when the error itself is small.
    /// </summary>
    [Theory]
    [InlineData("ode-euler", "vp", 100, "karras", 1)]   // measured 1.02
    [InlineData("ode-heun", "vp", 25, "karras", 2)]     // 1.94
    [InlineData("ode-rk4", "vp", 9, "uniform", 4)]      // (Karras points do not nest: pre-asymptotic there)
    [InlineData("edm-heun", "edm", 36, "karras", 2)]    // 2.05
    [InlineData("edm-heun", "ve", 36, "karras", 2)]     // 2.04
    [InlineData("ddim", "vp", 100, "uniform", 1)]       // 0.98
    [InlineData("dpm-solver++2m", "vp", 36, "log-sigma", 2)] // 1.97
    [InlineData("dpm-solver++2m", "edm", 36, "log-sigma", 2)] // 1.97
    public void Error_falls_at_the_method_order(string sampler, string sde, int steps, string grid, int order)
    {
        var coarse = Error(sampler, sde, steps, grid);
        var fine = Error(sampler, sde, 2 * steps - 1, grid); // twice as many intervals
        double rate = Math.Log2((coarse.Mean + coarse.Cov) / (fine.Mean + fine.Cov));
        output.WriteLine($"observed order {rate:F2} (expected {order})");
        Assert.InRange(rate, order - 0.5, order + 1.0);
    }
}
