using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One Euler-Maruyama step of the reverse SDE written in the variance-exploding variable y = x / mu, whose time is the
/// noise level n = sigma / mu and whose forward process is Brownian motion in n^2 (Karras et al. 2022, eq. 6): the drift
/// and the noise increment are integrated exactly over the step with the score frozen,
/// y_s = y_t + (n_t^2 - n_s^2) grad_y log p(y_t) + sqrt(n_t^2 - n_s^2) z, x_s = mu_s y_s. Its mean r y_t + (1 - r) x0_hat,
/// r = n_s^2 / n_t^2, is the ancestral step's (exact for any prior); its variance n_t^2 - n_s^2 is exact where the prior is
/// flat on the scale n_t, where the ancestral step's r (n_t^2 - n_s^2)... r times less is exact where the prior is sharp. A
/// plain Euler-Maruyama step in t instead adds g(t)^2 |dt| = 2 n_t (n_t - n_s) (EDM), up to twice too much on coarse grids.
/// PnP-DM's prior step starts at small noise on images whose prior is flat on that scale, where this form is the accurate one.
/// </summary>
public static class VarianceExplodingStep
{
    /// <summary>
    /// The step from t to s (null: to the clean image, n = 0, mu = 1) from Tweedie's estimate <paramref name="x0"/> and noise
    /// <paramref name="z"/>; a new tensor.
    /// </summary>
    public static Tensor Apply(Sde sde, Tensor x, Tensor x0, double t, double? s, Tensor z)
    {
        double muT = sde.Mu(t), nT = sde.NoiseRatio(t);
        double muS = s is double ss ? sde.Mu(ss) : 1.0, nS = s is double s2 ? sde.NoiseRatio(s2) : 0.0;
        double r = nS * nS / (nT * nT);
        using var a = x.Mul(muS * r / muT);
        using var mean = a.Add(x0, muS * (1 - r));
        return mean.Add(z, muS * Math.Sqrt(Math.Max(nT * nT - nS * nS, 0)));
    }

    /// <summary>Evaluates the score at (x, t), draws z, and steps to s (null: the clean image); one evaluation.</summary>
    public static Tensor Apply(IScoreFunction score, Sde sde, Tensor x, double t, double? s, SampleNoise noise)
    {
        using var sc = score.Score(x, t);
        using var x0 = SamplerMath.DataPrediction(sde, x, sc, t);
        using var z = noise.RandnLike(x);
        return Apply(sde, x, x0, t, s, z);
    }
}
