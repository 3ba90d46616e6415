using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Predictor-corrector sampling (Song et al. 2021, Algorithms 2-3): at every grid time, <c>correctorSteps</c>
/// Langevin MCMC steps at fixed t, then one Euler-Maruyama reverse-SDE step to the next time.
/// The Langevin step size follows the signal-to-noise rule eps = 2 alpha (snr |z| / |s|)^2 with |z| and |s| the
/// per-sample norms averaged over the batch, as in Song et al.'s code (a per-sample rule would take huge steps for
/// samples that sit near a mode, where |s| is small), and alpha = mu(t_{i+1})^2 / mu(t_i)^2 (1 for VE; Song's
/// 1 - beta_i for VP). The step size therefore depends (weakly, for large batches) on the batch.
/// </summary>
public static class PredictorCorrectorSampler
{
    /// <summary>Default signal-to-noise ratio: 0.16, Song et al.'s value for VE on CIFAR-10 (used here for every SDE).</summary>
    public const double DefaultSnr = 0.16;

    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; 1 + correctorSteps score evaluations per interval.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise,
        double snr = DefaultSnr, int correctorSteps = 1, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        if (!(snr > 0)) throw new ArgumentException($"snr must be positive (got {snr})");
        if (correctorSteps < 0) throw new ArgumentException($"correctorSteps must be >= 0 (got {correctorSteps})");
        using var noGrad = torch.NoGrad();
        var current = x;
        long nfe = 0;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], dt = grid[i + 1] - t;
            double alpha = Math.Min(1.0, Math.Pow(sde.Mu(grid[i + 1]) / sde.Mu(t), 2));
            for (int c = 0; c < correctorSteps; c++)
            {
                Tensor corrected;
                using (torch.NewDisposeScope())
                    corrected = LangevinStep(score, current, t, noise, snr, alpha).MoveToOuterDisposeScope();
                SamplerMath.Advance(ref current, corrected, x);
                nfe++;
            }
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var s = score.Score(current, t);
                var drift = ProbabilityFlow.ReverseSdeDrift(sde, current, s, t);
                var z = noise.RandnLike(current);
                var mean = current.Add(drift, dt);
                next = mean.Add(z, sde.Diffusion(t) * Math.Sqrt(-dt)).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            nfe++;
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, grid[i + 1], nfe));
        }
        return SamplerMath.Result(current, x);
    }

    /// <summary>One Langevin step x + eps s + sqrt(2 eps) z at time t with the snr step-size rule.</summary>
    private static Tensor LangevinStep(IScoreFunction score, Tensor x, double t, SampleNoise noise, double snr, double alpha)
    {
        var s = score.Score(x, t);
        var z = noise.RandnLike(x);
        double noiseNorm = SamplerMath.SampleNorms(z).Mean().ToDouble();
        double scoreNorm = Math.Max(SamplerMath.SampleNorms(s).Mean().ToDouble(), 1e-20);
        double eps = 2 * alpha * Math.Pow(snr * noiseNorm / scoreNorm, 2);
        return x.Add(s, eps).Add(z, Math.Sqrt(2 * eps));
    }
}
