using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One Langevin MCMC step at fixed t, the corrector of Song et al. (2021, Algorithm 4): x + eps s + sqrt(2 eps) z with the
/// signal-to-noise step size eps = 2 alpha (snr |z| / |s|)^2, where |z| and |s| are the per-sample norms averaged over the
/// batch (as Song et al.'s code: a per-sample rule would take huge steps for samples near a mode, where |s| is small).
/// The step size stays on the device (no host read).
/// </summary>
public static class LangevinStep
{
    /// <summary>One step at time t (one evaluation); alpha = mu(t_next)^2 / mu(t)^2 (1 for VE; Song's 1 - beta_i for VP).</summary>
    public static Tensor Apply(IScoreFunction score, Tensor x, double t, SampleNoise noise, double snr, double alpha)
    {
        using var scope = torch.NewDisposeScope();
        var s = score.Score(x, t);
        var z = noise.RandnLike(x);
        var noiseNorm = SamplerMath.SampleNorms(z).Mean();
        var scoreNorm = SamplerMath.SampleNorms(s).Mean().Clamp(1e-20);
        var eps = noiseNorm.Div(scoreNorm).Mul(snr).Square().Mul(2 * alpha);   // 0-d, x's dtype
        return x.Add(s.Mul(eps)).Add(z.Mul(eps.Mul(2).Sqrt())).MoveToOuterDisposeScope();
    }
}
