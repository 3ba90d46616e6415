using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Ancestral sampling (<see cref="AncestralStep"/>; Ho et al. 2020, Algorithm 2). On <see cref="DdpmSde"/> with every step on
/// the grid this is DDPM's update with variance beta_tilde; on a sub-grid it is iDDPM's respaced chain; on VE it is Song et
/// al.'s ancestral predictor. One score evaluation per step. The last DDPM step (i = 0 to alpha_bar = 1) is <see cref="Denoiser.Tweedie"/>.
/// </summary>
public static class DdpmSampler
{
    /// <summary>Runs the chain over the grid times (for DDPM models, grids from <see cref="TimeGrids"/> are snapped to steps).</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => AncestralStep.Apply(f, sde, xi, grid[i], grid[i + 1], noise), callback);
    }
}
