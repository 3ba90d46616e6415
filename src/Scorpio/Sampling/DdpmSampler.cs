using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Ancestral sampling (Ho et al. 2020, Algorithm 2): from x_t draw x_s ~ q(x_s | x_t, x_0 = x0_hat), the
/// Gaussian posterior of the forward process with x_0 replaced by Tweedie's estimate. With
/// sigma_{t|s}^2 = sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2:
/// mean = mu_s sigma_{t|s}^2 / sigma_t^2 x0_hat + (mu_t/mu_s) sigma_s^2 / sigma_t^2 x_t,
/// variance = sigma_s^2 sigma_{t|s}^2 / sigma_t^2.
/// On <see cref="DdpmSde"/> with every step on the grid this is DDPM's update with variance beta_tilde;
/// on a sub-grid it is iDDPM's respaced chain; on VE it is Song et al.'s ancestral predictor. One score
/// evaluation per step. The last DDPM step (i = 0 to alpha_bar = 1) is <see cref="Denoiser.Tweedie"/>.
/// </summary>
public static class DdpmSampler
{
    /// <summary>Runs the chain over the grid times (for DDPM models, grids from <see cref="TimeGrids"/> are snapped to steps).</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], s = grid[i + 1];
            double muT = sde.Mu(t), sigT = sde.Sigma(t), muS = sde.Mu(s), sigS = sde.Sigma(s);
            double ratio = muT / muS;
            double condVar = Math.Max(sigT * sigT - ratio * ratio * sigS * sigS, 0);
            double x0Coef = muS * condVar / (sigT * sigT), xtCoef = ratio * sigS * sigS / (sigT * sigT);
            double std = Math.Sqrt(sigS * sigS * condVar) / sigT;
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var sc = score.Score(current, t);
                var x0 = SamplerMath.DataPrediction(sde, current, sc, t);
                var z = noise.RandnLike(current);
                next = x0.Mul(x0Coef).Add(current, xtCoef).Add(z, std).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, s, i + 1));
        }
        return SamplerMath.Result(current, x);
    }
}
