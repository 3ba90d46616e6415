using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Predictor-corrector sampling (Song et al. 2021, Algorithms 2-3): at every grid time, <c>correctorSteps</c>
/// <see cref="LangevinStep"/>s at fixed t, then one <see cref="ReverseSdeStep"/> to the next time. The Langevin step size
/// uses alpha = mu(t_{i+1})^2 / mu(t_i)^2 (1 for VE; Song's 1 - beta_i for VP) and depends (weakly, for large batches) on
/// the batch.
/// </summary>
public static class PredictorCorrectorSampler
{
    /// <summary>Default signal-to-noise ratio: 0.16, Song et al.'s value for VE on CIFAR-10 (used here for every SDE).</summary>
    public const double DefaultSnr = 0.16;

    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; 1 + correctorSteps score evaluations per interval.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise,
        double snr = DefaultSnr, int correctorSteps = 1, Action<SamplerStep>? callback = null)
    {
        if (!(snr > 0)) throw new Astro.InvalidSettingException("snr", $"must be positive (got {snr})");
        if (correctorSteps < 0) throw new Astro.InvalidSettingException("correctorSteps", $"must be >= 0 (got {correctorSteps})");
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) =>
        {
            double t = grid[i];
            double alpha = Math.Min(1.0, Math.Pow(sde.Mu(grid[i + 1]) / sde.Mu(t), 2));
            var corrected = xi;
            for (int c = 0; c < correctorSteps; c++) corrected = LangevinStep.Apply(f, corrected, t, noise, snr, alpha);
            return ReverseSdeStep.Apply(f, sde, corrected, t, grid[i + 1], noise);
        }, callback);
    }
}
