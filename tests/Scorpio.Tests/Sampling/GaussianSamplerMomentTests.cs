using Scorpio.Sampling;
using Scorpio.Torch;
using Xunit.Abstractions;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// Every sampler, run end to end (prior draw, sampler, Tweedie's final step) on 4-D Gaussian data N(m, C) with the
/// analytic score, reproduces the target's mean and covariance. Errors are measured in the target's whitened units
/// w = L^{-1}(x - m), C = L L^T, and each bound is the sum of three stated terms:
/// <list type="bullet">
/// <item>Monte-Carlo: n |mean(w)|^2 ~ chi2_4 and n |cov(w) - I|_F^2 ~ about 2 chi2_10 for exact draws, so
/// sqrt(25/n) and sqrt(71.2/n) are exceeded with probability ~1e-4 (n = 12000: 0.046 and 0.077);</item>
/// <item>the exact pipeline's own offset (the SDE prior ignores mu_T m and mu_T^2 C; Tweedie shrinks by
/// sigma_e^2/mu_e^2): |m| mu_T / sigma_T = 0.038 for VE, 0.024 for EDM, 0.013 for VP in the mean, ~1e-3 in the covariance;</item>
/// <item>the sampler's discretisation allowance, given per case (from <see cref="DeterministicSamplerExactTests"/> for the
/// deterministic ones; for the stochastic ones about the error measured at n = 16000 with the Monte-Carlo part removed).</item>
/// </list>
/// </summary>
public class GaussianSamplerMomentTests(ITestOutputHelper output)
{
    private const int N = 12000;
    private const int Batch = 4000;

    [Theory]
    // sampler, sde, grid points, eta, churn, mean allowance, covariance allowance
    [InlineData("euler-maruyama", "ve", 250, 0, 0, 0.01, 0.03)]
    [InlineData("euler-maruyama", "vp", 250, 0, 0, 0.01, 0.03)]
    [InlineData("euler-maruyama", "edm", 250, 0, 0, 0.01, 0.04)]   // Karras grid (EDM's uniform default is replaced)
    [InlineData("pc", "ve", 250, 0, 0, 0.01, 0.06)]                // + the Langevin corrector's O(snr^2) variance bias
    [InlineData("pc", "vp", 250, 0, 0, 0.01, 0.06)]
    [InlineData("ddpm", "ddpm", 1000, 0, 0, 0.01, 0.03)]           // the trained DDPM chain, every step
    [InlineData("ddpm", "ve", 250, 0, 0, 0.01, 0.06)]              // Song et al.'s ancestral VE sampler
    [InlineData("ddim", "ddpm", 250, 0.5, 0, 0.01, 0.06)]          // stochastic DDIM
    [InlineData("ddim", "vp", 400, 0, 0, 0.01, 0.05)]
    [InlineData("edm-heun", "edm", 72, 0, 10, 0.01, 0.06)]         // with churn: S_churn = 10
    [InlineData("edm-heun", "vp", 72, 0, 10, 0.01, 0.06)]
    [InlineData("ode-euler", "vp", 400, 0, 0, 0.01, 0.01)]
    [InlineData("ode-heun", "edm", 72, 0, 0, 0.01, 0.02)]
    [InlineData("ode-rk4", "ve", 18, 0, 0, 0.01, 0.01)]
    [InlineData("dpm-solver++2m", "vp", 72, 0, 0, 0.01, 0.01)]
    public void Sampler_reproduces_gaussian_mean_and_covariance(string sampler, string sdeName, int steps, double eta, double churn,
        double meanAllowance, double covAllowance)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create(sdeName);
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        var options = new SamplerOptions { Steps = steps, Eta = eta, Churn = churn };
        var rows = SamplerTestKit.Draw(sampler, g, sde, [1, 2, 2], N, Batch, 20240501, options);
        var (meanError, covError) = SampleStatistics.WhitenedErrors(rows, TestSdes.Mean, TestSdes.Covariance);

        var grid = SamplerRegistry.Grid(SamplerRegistry.Get(sampler), sde, options);
        var (pm, pc) = g.ExactPipelineMoments(sde.PriorSigma, grid[^1]);
        var (priorMean, priorCov) = SampleStatistics.WhitenedDistance(pm, pc, TestSdes.Mean, TestSdes.Covariance, TestSdes.Covariance);
        double meanBound = Math.Sqrt(25.0 / N) + priorMean + meanAllowance;
        double covBound = Math.Sqrt(71.2 / N) + priorCov + covAllowance;
        output.WriteLine($"{sampler} on {sdeName}, K = {steps}: mean error {meanError:F4} (bound {meanBound:F4}), covariance error {covError:F4} (bound {covBound:F4})");
        Assert.True(meanError < meanBound, $"mean error {meanError:F4} >= {meanBound:F4}");
        Assert.True(covError < covBound, $"covariance error {covError:F4} >= {covBound:F4}");
    }
}
