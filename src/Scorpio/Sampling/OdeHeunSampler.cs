using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Heun's method (<see cref="OdeSteps.Heun"/>, second order) on the probability-flow ODE in the SDE's own time variable: two
/// score evaluations per step. Compare <see cref="EdmHeunSampler"/>, the same method in the noise level sigma/mu of x/mu,
/// where the ODE is straighter.
/// </summary>
public static class OdeHeunSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => OdeSteps.Heun((y, t) => ProbabilityFlow.Drift(f, sde, y, t), xi, grid[i], grid[i + 1]), callback);
    }
}
