using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Euler's method on the probability-flow ODE dx/dt = f x - g^2 s / 2 (deterministic: the result is a
/// function of the prior draw). One score evaluation per step; first order, so it needs many steps.
/// </summary>
public static class OdeEulerSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused (kept for the common signature).</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            double t = grid[i], dt = grid[i + 1] - t;
            Tensor next;
            using (torch.NewDisposeScope())
            {
                var d = ProbabilityFlow.Drift(score, sde, current, t);
                next = current.Add(d, dt).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, grid[i + 1], i + 1));
        }
        return SamplerMath.Result(current, x);
    }
}
