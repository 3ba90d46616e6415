using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The classical fourth-order Runge-Kutta method on the probability-flow ODE in the SDE's time: four score
/// evaluations per step (at t, the midpoint twice, and t + dt).
/// </summary>
public static class OdeRk4Sampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], tn = grid[i + 1], dt = tn - t, tm = t + dt / 2;
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var k1 = ProbabilityFlow.Drift(score, sde, current, t);
                var k2 = ProbabilityFlow.Drift(score, sde, current.Add(k1, dt / 2), tm);
                var k3 = ProbabilityFlow.Drift(score, sde, current.Add(k2, dt / 2), tm);
                var k4 = ProbabilityFlow.Drift(score, sde, current.Add(k3, dt), tn);
                var sum = k1.Add(k2, 2).Add(k3, 2).Add(k4);
                next = current.Add(sum, dt / 6).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, tn, 4L * (i + 1)));
        }
        return SamplerMath.Result(current, x);
    }
}
