using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// DDIM (Song, Meng and Ermon 2021, eq. 12) for any kernel x_t = mu_t x_0 + sigma_t z: with
/// eps_hat = -sigma_t s(x_t, t) and x0_hat = (x_t - sigma_t eps_hat) / mu_t,
/// x_s = mu_s x0_hat + sqrt(sigma_s^2 - c^2) eps_hat + c z, c = eta sigma_s sigma_{t|s} / sigma_t,
/// sigma_{t|s}^2 = sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2. eta = 0 is deterministic (a first-order PF-ODE solver in
/// log-SNR); eta = 1 is exactly <see cref="DdpmSampler"/>. One score evaluation per step.
/// </summary>
public static class DdimSampler
{
    /// <summary>Runs DDIM over the grid times; <paramref name="noise"/> is only used when <paramref name="eta"/> &gt; 0.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, double eta = 0,
        Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        if (eta < 0) throw new ArgumentException($"eta must be >= 0 (got {eta})");
        if (eta > 0 && noise is null) throw new ArgumentException("eta > 0 draws noise: pass a generator");
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], s = grid[i + 1];
            double muT = sde.Mu(t), sigT = sde.Sigma(t), muS = sde.Mu(s), sigS = sde.Sigma(s);
            double ratio = muT / muS;
            double condVar = Math.Max(sigT * sigT - ratio * ratio * sigS * sigS, 0);
            double c = eta * sigS * Math.Sqrt(condVar) / sigT;
            double epsCoef = Math.Sqrt(Math.Max(sigS * sigS - c * c, 0));
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var sc = score.Score(current, t);
                var eps = sc.Mul(-sigT);
                var x0 = current.Add(eps, -sigT).Div(muT);
                var update = x0.Mul(muS).Add(eps, epsCoef);
                if (c > 0) update = update.Add(noise.RandnLike(current), c);
                next = update.MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, s, i + 1));
        }
        return SamplerMath.Result(current, x);
    }
}
