using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Euler's method (<see cref="OdeSteps.Euler"/>) on the probability-flow ODE dx/dt = f x - g^2 s / 2 (deterministic: the
/// result is a function of the prior draw). One score evaluation per step; first order, so it needs many steps.
/// </summary>
public static class OdeEulerSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused (kept for the common signature).</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => OdeSteps.Euler((y, t) => ProbabilityFlow.Drift(f, sde, y, t), xi, grid[i], grid[i + 1]), callback);
    }
}
