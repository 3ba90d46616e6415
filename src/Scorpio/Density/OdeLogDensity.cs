using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Density;

/// <summary>
/// Exact log-likelihood through the probability-flow ODE (Song et al. 2021, appendix D.2; FFJORD):
/// with v(x, t) = f(t) x - g(t)^2 s(x, t) / 2, integrate dx/dt = v and d delta/dt = div v = f(t) D - g^2/2 div s
/// from epsilon to T, then log p_epsilon(x) = log p_T(x_T) + delta(T). The integral uses fixed-step classical
/// RK4 on a time grid (log-sigma by default); the divergence is exact or Hutchinson's estimate with probes held
/// fixed along the trajectory. The result is the density of x at time epsilon, i.e. of the data convolved with
/// N(0, sigma(epsilon)^2) and scaled by mu(epsilon) (a negligible difference from p_0 for well-resolved data);
/// and the prior is the SDE's N(0, PriorSigma^2), which ignores the data variance left at T (for VE this is
/// D Var(x) / (2 sigma_max^2) nats at most). Units: nats, in the normalised space of the model.
/// </summary>
public static class OdeLogDensity
{
    /// <summary>log p_epsilon(x) per sample of <paramref name="x"/> (B, ...) (normalised units).</summary>
    public static LogDensityResult LogDensity(IScoreFunction score, Sde sde, Tensor x, SampleNoise noise,
        LogDensityOptions? options = null, Action<SamplerStep>? callback = null)
    {
        options ??= new LogDensityOptions();
        if (options.Steps < 1) throw new ArgumentException($"likelihood needs at least one step (got {options.Steps})");
        if (options.Probes < 1) throw new ArgumentException($"probes must be >= 1 (got {options.Probes})");
        var grid = TimeGrids.Create(options.Grid, sde, options.Steps + 1);
        Array.Reverse(grid); // epsilon -> T
        long batch = x.Size(0), dims = x.Numel / batch;

        using var scope = torch.NewDisposeScope();
        var probes = options.Divergence == DivergenceEstimator.Hutchinson
            ? Enumerable.Range(0, options.Probes).Select(_ => DrawProbe(x, noise, options.ProbeDistribution)).ToArray()
            : [];
        var f = EvaluationCounter.Wrap(score);

        // The augmented state (x, delta) and its velocity (v, div v); float64 divergence.
        Tensor[] Field(Tensor[] state, double t)
        {
            var y = state[0];
            Func<Tensor, Tensor> s = xi => f.Score(xi, t);
            var (value, divS) = options.Divergence == DivergenceEstimator.Exact
                ? Density.Divergence.Exact(s, y)
                : Density.Divergence.Hutchinson(s, y, probes);
            double drift = sde.DriftCoefficient(t), g2 = Math.Pow(sde.Diffusion(t), 2);
            var v = ProbabilityFlow.Drift(sde, y, value, t);
            var div = divS.Mul(-0.5 * g2).Add(drift * dims);
            return [v, div];
        }

        Tensor[] state = [x.Detach(), torch.Zeros([batch], DType.Float64, x.Device)];
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            Tensor[] next;
            using (torch.NewDisposeScope())
                next = OdeSteps.Rk4(Field, state, grid[i], grid[i + 1]).Select(n => n.MoveToOuterDisposeScope()).ToArray();
            foreach (var old in state) old.Dispose();
            state = next;
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, grid[i + 1], f.Count));
        }
        var (current, delta) = (state[0], state[1]);
        using var end = current.To(DType.Float64);
        var prior = sde.PriorLogDensity(end).ToDoubleArray();
        var correction = delta.ToDoubleArray();
        return new LogDensityResult(prior.Zip(correction, (p, c) => p + c).ToArray(), prior, correction, f.Count);
    }

    private static Tensor DrawProbe(Tensor like, SampleNoise noise, string distribution) => distribution switch
    {
        "rademacher" => noise.RademacherLike(like),
        "gaussian" => noise.RandnLike(like),
        _ => throw new ArgumentException($"unknown probe distribution '{distribution}' (rademacher or gaussian)"),
    };
}
