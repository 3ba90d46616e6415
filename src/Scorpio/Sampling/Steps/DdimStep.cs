using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One DDIM step (Song, Meng and Ermon 2021, eq. 12) for any kernel x_t = mu_t x_0 + sigma_t z: with
/// eps_hat = -sigma_t s(x_t, t) and x0_hat = (x_t - sigma_t eps_hat) / mu_t,
/// x_s = mu_s x0_hat + sqrt(sigma_s^2 - c^2) eps_hat + c z, c = eta sigma_s sigma_{t|s} / sigma_t,
/// sigma_{t|s}^2 = sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2. eta = 0 is deterministic; eta = 1 is the ancestral step.
/// </summary>
public static class DdimStep
{
    /// <summary>One step (one evaluation); <paramref name="noise"/> is used only when eta &gt; 0.</summary>
    public static Tensor Apply(IScoreFunction score, Sde sde, Tensor x, double t, double s, double eta, SampleNoise? noise)
    {
        double muT = sde.Mu(t), sigT = sde.Sigma(t), muS = sde.Mu(s), sigS = sde.Sigma(s);
        double ratio = muT / muS;
        double condVar = Math.Max(sigT * sigT - ratio * ratio * sigS * sigS, 0);
        double c = eta * sigS * Math.Sqrt(condVar) / sigT;
        double epsCoef = Math.Sqrt(Math.Max(sigS * sigS - c * c, 0));
        using var scope = torch.NewDisposeScope();
        var sc = score.Score(x, t);
        var eps = sc.Mul(-sigT);
        var x0 = x.Add(eps, -sigT).Div(muT);
        var update = x0.Mul(muS).Add(eps, epsCoef);
        if (c > 0) update = update.Add(noise!.RandnLike(x), c);
        return update.MoveToOuterDisposeScope();
    }
}
