using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// DDIM (<see cref="DdimStep"/>; Song, Meng and Ermon 2021): eta = 0 is deterministic (a first-order PF-ODE solver in
/// log-SNR); eta = 1 is exactly <see cref="DdpmSampler"/>. One score evaluation per step.
/// </summary>
public static class DdimSampler
{
    /// <summary>Runs DDIM over the grid times; <paramref name="noise"/> is only used when <paramref name="eta"/> &gt; 0.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, double eta = 0,
        Action<SamplerStep>? callback = null)
    {
        if (eta < 0) throw new Astro.InvalidSettingException("eta", $"must be >= 0 (got {eta})");
        if (eta > 0 && noise is null) throw new ArgumentException("eta > 0 draws noise: pass a generator");
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => DdimStep.Apply(f, sde, xi, grid[i], grid[i + 1], eta, noise), callback);
    }
}
