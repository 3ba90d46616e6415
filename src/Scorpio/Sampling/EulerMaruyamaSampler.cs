using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Euler-Maruyama on the reverse-time SDE (<see cref="ReverseSdeStep"/>), one score evaluation per step. Noise is added on
/// every step, so the result is a sample of p at the last grid time (remove the remaining noise with <see cref="Denoiser.Tweedie"/>).
/// </summary>
public static class EulerMaruyamaSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] (where <paramref name="x"/> lives) to the last grid time; returns a new tensor.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => ReverseSdeStep.Apply(f, sde, xi, grid[i], grid[i + 1], noise), callback);
    }
}
