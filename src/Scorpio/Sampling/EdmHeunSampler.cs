using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Karras et al. (2022) Algorithm 2: Heun's method (<see cref="OdeSteps.Heun"/>) on the probability-flow ODE written for
/// y = x/mu(t) in its noise level sigma_hat = sigma(t)/mu(t), dy/dsigma_hat = -sigma_hat grad_y log p(y; sigma_hat) = (y - D)/sigma_hat,
/// with D Tweedie's estimate of x_0. Every SDE here has y distributed as data + N(0, sigma_hat^2), so this works for VE, VP,
/// sub-VP, cosine and DDPM models as well as EDM (where mu = 1 and sigma_hat = t).
/// <para>Optional churn (stochastic sampling): before each step with sigma_hat in [sMin, sMax], noise is raised to
/// sigma_hat (1 + gamma), gamma = min(churn / K, sqrt 2 - 1), by adding N(0, (sigma'^2 - sigma_hat^2) sNoise^2); the raised
/// level is mapped back to a time and clamped to T. churn = 0 (default) is deterministic.</para>
/// <para>The grid should come from <see cref="TimeGrids.Karras"/> (rho = 7). EDM's final Euler step to sigma = 0 is
/// <see cref="Denoiser.Tweedie"/>; with it, K grid points cost 2K - 1 score evaluations (18 points: 35).</para>
/// </summary>
public static class EdmHeunSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time (2 evaluations per step); a new tensor.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null,
        double churn = 0, double sMin = 0, double sMax = double.PositiveInfinity, double sNoise = 1,
        Action<SamplerStep>? callback = null)
    {
        if (churn < 0) throw new Astro.InvalidSettingException("churn", $"must be >= 0 (got {churn})");
        if (churn > 0 && noise is null) throw new ArgumentException("churn > 0 draws noise: pass a generator");
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (current, i) =>
        {
            double t = grid[i], tn = grid[i + 1];
            double sigma = sde.NoiseRatio(t), sigmaNext = sde.NoiseRatio(tn);
            double gamma = churn > 0 && sigma >= sMin && sigma <= sMax ? Math.Min(churn / grid.Length, Math.Sqrt(2) - 1) : 0;
            double tHat = gamma > 0 ? sde.TimeOfNoiseRatio(sigma * (1 + gamma)) : t;
            double sigmaHat = sde.NoiseRatio(tHat);
            var y = current.Div(sde.Mu(t));
            if (sigmaHat > sigma) y = y.Add(noise!.RandnLike(y), sNoise * Math.Sqrt(sigmaHat * sigmaHat - sigma * sigma));
            // The field in the noise level; the two levels it is evaluated at are the step's own times.
            var yNext = OdeSteps.Heun((yi, level) => Slope(f, sde, yi, level == sigmaHat ? tHat : tn, level), y, sigmaHat, sigmaNext);
            return yNext.Mul(sde.Mu(tn));
        }, callback);
    }

    /// <summary>dy/dsigma_hat = -sigma_hat mu s(mu y, t): the score of y = x/mu is mu times the score of x.</summary>
    private static Tensor Slope(IScoreFunction score, Sde sde, Tensor y, double t, double sigmaHat)
    {
        double mu = sde.Mu(t);
        using var xt = y.Mul(mu);
        using var s = score.Score(xt, t);
        return s.Mul(-sigmaHat * mu);
    }
}
