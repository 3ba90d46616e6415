using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The classical fourth-order Runge-Kutta method (<see cref="OdeSteps.Rk4(Func{Tensor, double, Tensor}, Tensor, double, double)"/>)
/// on the probability-flow ODE in the SDE's time: four score evaluations per step.
/// </summary>
public static class OdeRk4Sampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        return SamplerLoop.Run(grid, x, f, (xi, i) => OdeSteps.Rk4((y, t) => ProbabilityFlow.Drift(f, sde, y, t), xi, grid[i], grid[i + 1]), callback);
    }
}
