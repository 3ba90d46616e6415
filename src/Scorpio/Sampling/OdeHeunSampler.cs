using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Heun's method (explicit trapezoid, second order) on the probability-flow ODE in the SDE's own time
/// variable: two score evaluations per step. Compare <see cref="EdmHeunSampler"/>, the same method in the
/// noise level sigma/mu of x/mu, where the ODE is straighter.
/// </summary>
public static class OdeHeunSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], tn = grid[i + 1], dt = tn - t;
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var d1 = ProbabilityFlow.Drift(score, sde, current, t);
                var predicted = current.Add(d1, dt);
                var d2 = ProbabilityFlow.Drift(score, sde, predicted, tn);
                next = current.Add(d1.Add(d2), dt / 2).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, tn, 2L * (i + 1)));
        }
        return SamplerMath.Result(current, x);
    }
}
