using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One ancestral step from t to s &lt; t (Ho et al. 2020, Algorithm 2): x_s ~ q(x_s | x_t, x_0 = x0_hat), the Gaussian
/// posterior of the forward process with x_0 replaced by Tweedie's estimate. With sigma_{t|s}^2 = sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2:
/// mean = mu_s sigma_{t|s}^2 / sigma_t^2 x0_hat + (mu_t/mu_s) sigma_s^2 / sigma_t^2 x_t, variance = sigma_s^2 sigma_{t|s}^2 / sigma_t^2.
/// Stable at low noise (where an Euler-Maruyama step on the stiff score overshoots) and the exact inverse of
/// <see cref="Sde.Transition"/>, which RePaint relies on.
/// </summary>
public static class AncestralStep
{
    /// <summary>The step from Tweedie's estimate <paramref name="x0"/> and noise <paramref name="z"/>; a new tensor.</summary>
    public static Tensor Apply(Sde sde, Tensor x, Tensor x0, double t, double s, Tensor z)
    {
        double muT = sde.Mu(t), sigT = sde.Sigma(t), muS = sde.Mu(s), sigS = sde.Sigma(s);
        double ratio = muT / muS;
        double condVar = Math.Max(sigT * sigT - ratio * ratio * sigS * sigS, 0);
        double x0Coef = muS * condVar / (sigT * sigT), xtCoef = ratio * sigS * sigS / (sigT * sigT);
        double std = Math.Sqrt(sigS * sigS * condVar) / sigT;
        using var a = x0.Mul(x0Coef);
        using var mean = a.Add(x, xtCoef);
        return mean.Add(z, std);
    }

    /// <summary>Evaluates the score at (x, t), draws z, and steps to s (one evaluation).</summary>
    public static Tensor Apply(IScoreFunction score, Sde sde, Tensor x, double t, double s, SampleNoise noise)
    {
        using var sc = score.Score(x, t);
        using var x0 = SamplerMath.DataPrediction(sde, x, sc, t);
        using var z = noise.RandnLike(x);
        return Apply(sde, x, x0, t, s, z);
    }
}
