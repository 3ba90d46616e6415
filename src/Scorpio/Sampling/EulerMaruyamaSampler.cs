using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Euler-Maruyama on the reverse-time SDE dx = [f x - g^2 s] dt + g dW (Song et al. 2021, "reverse
/// diffusion" predictor): x_{i+1} = x_i + [f x_i - g^2 s(x_i, t_i)] dt_i + g(t_i) sqrt(|dt_i|) z.
/// One score evaluation per step; noise is added on every step, so the result is a sample of p at the
/// last grid time (remove the remaining noise with <see cref="Denoiser.Tweedie"/>).
/// </summary>
public static class EulerMaruyamaSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] (where <paramref name="x"/> lives) to the last grid time; returns a new tensor.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise, Action<SamplerStep>? callback = null)
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
                var s = score.Score(current, t);
                var drift = ProbabilityFlow.ReverseSdeDrift(sde, current, s, t);
                var z = noise.RandnLike(current);
                var mean = current.Add(drift, dt);
                next = mean.Add(z, sde.Diffusion(t) * Math.Sqrt(-dt)).MoveToOuterDisposeScope();
            }
            SamplerMath.Advance(ref current, next, x);
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, grid[i + 1], i + 1));
        }
        return SamplerMath.Result(current, x);
    }
}
