using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// PnP-DM (Wu, Sun, Chen, Zhang, Yue and Bouman 2024, "Principled probabilistic imaging using diffusion models as
/// plug-and-play priors"): split-Gibbs sampling of pi(x, z) proportional to p(y | x) N(x; z, rho^2 I) p(z), alternating
/// <list type="number">
/// <item>the likelihood step x ~ p(x | z, y) (exact for Gaussian noise: <see cref="Likelihoods.GaussianProximalDraw"/>),</item>
/// <item>the prior step z ~ p(z | x), a denoising posterior: x is z plus noise of level rho, so the prior's reverse SDE
/// (stochastic, not the probability-flow ODE) runs from the time where sigma/mu = rho, started at x_t = mu(t) x, down to the
/// clean image (<see cref="PriorStep"/>).</item>
/// </list>
/// The coupling rho decays exponentially, rho_k = max(rho_min, rho_0 decay^k) (the paper's annealing), then stays at rho_min
/// for a final stretch. The z-marginal at fixed rho is exactly p(z) N(y; A z, Sigma + rho^2 A A^T): the posterior with the
/// noise widened by rho^2 A A^T, so the sampler is exact as rho -&gt; 0 with long chains. Every batch item is an independent
/// chain that returns its last z. Plain functions of (score, SDE, schedule), like the other samplers.
/// </summary>
public static class PnpDmSampler
{
    /// <summary>Fewest points of a prior step's grid (three reverse-SDE steps, the last to the clean image).</summary>
    public const int MinPriorGridPoints = 3;

    /// <summary>
    /// rho_k = max(<paramref name="rhoMin"/>, <paramref name="rhoStart"/> <paramref name="decay"/>^k) until it reaches rho_min,
    /// then <paramref name="finalIterations"/> more at rho_min (the first of them is the one that reached it).
    /// </summary>
    public static double[] Schedule(double rhoStart, double rhoMin, double decay, int finalIterations)
    {
        if (!(rhoMin > 0) || !(rhoStart >= rhoMin)) throw new ArgumentException($"need 0 < rho_min <= rho_start (got {rhoMin}, {rhoStart})");
        if (!(decay > 0 && decay < 1)) throw new ArgumentException($"the decay must lie in (0, 1) (got {decay})");
        if (finalIterations < 1) throw new ArgumentException($"at least one iteration at rho_min (got {finalIterations})");
        var rhos = new List<double>();
        for (double rho = rhoStart; rho > rhoMin; rho *= decay) rhos.Add(rho);
        rhos.AddRange(Enumerable.Repeat(rhoMin, finalIterations));
        return rhos.ToArray();
    }

    /// <summary>
    /// The prior step's time grid from noise level <paramref name="rho"/> (sigma/mu) down to the SDE's smallest time: a Karras
    /// grid in noise level with as many points as a <paramref name="points"/>-point Karras grid over the SDE's whole range
    /// has at or below rho, plus rho itself, and at least <see cref="MinPriorGridPoints"/>. Its length is the prior step's
    /// network evaluations (one step from each point; the last goes to the clean image).
    /// </summary>
    public static double[] PriorGrid(Sde sde, double rho, int points)
    {
        double low = sde.NoiseRatio(sde.Epsilon), high = sde.NoiseRatio(sde.T);
        if (!(rho > low)) throw new ArgumentException($"the prior step needs rho above the SDE's smallest noise level {low:g4} (got {rho:g4})");
        int below = TimeGrids.KarrasSigmas(low, high, Math.Max(2, points)).Count(s => s <= rho);
        int n = Math.Max(MinPriorGridPoints, below + 1);
        var t = TimeGrids.KarrasSigmas(low, Math.Min(rho, high), n).Select(sde.TimeOfNoiseRatio).ToArray();
        t[^1] = sde.Epsilon;
        return sde.Discretise(t);
    }

    /// <summary>Network evaluations of one chain over the schedule <paramref name="rhos"/>.</summary>
    public static long Evaluations(Sde sde, double[] rhos, int points) => rhos.Sum(r => (long)PriorGrid(sde, r, points).Length);

    /// <summary>
    /// z ~ p(z | x) where x = z + rho e (rho = the noise level of <paramref name="grid"/>[0]): x_t = mu(t) x, then the reverse
    /// SDE over <paramref name="grid"/> and on to the clean image in <see cref="VarianceExplodingStep"/>s (whose noise
    /// increments are exact where the prior is flat on the scale rho, as an image prior is at the small rho that decide
    /// the posterior's spread; plain Euler-Maruyama adds up to twice the variance on a coarse grid, which the Gibbs chain
    /// then amplifies); a new tensor.
    /// </summary>
    public static Tensor PriorStep(IScoreFunction score, Sde sde, Tensor x, double[] grid, SampleNoise noise)
    {
        var f = EvaluationCounter.Wrap(score);
        using var xt = x.Mul(sde.Mu(grid[0]));
        // The loop's last interval is the step to the clean image (its time only labels it: one below the grid's end).
        return SamplerLoop.Run([.. grid, grid[^1] - 1], xt, f,
            (xi, i) => VarianceExplodingStep.Apply(f, sde, xi, grid[i], i + 1 < grid.Length ? grid[i + 1] : null, noise), null);
    }

    /// <summary>
    /// Runs one chain per batch item of <paramref name="shape"/> (B, C, H, W) from z = x = 0 over the schedule
    /// <paramref name="rhos"/>, returns the last z (a new tensor). <paramref name="likelihoodStep"/>(z, x, rho) draws x | z, y
    /// (x: the chain's previous x, where an inner Markov chain starts); <paramref name="onIteration"/>(k, z) sees every
    /// iteration's z (diagnostics); progress after every iteration.
    /// </summary>
    public static Tensor Sample(IScoreFunction prior, Sde sde, Func<Tensor, Tensor, double, Tensor> likelihoodStep, long[] shape, double[] rhos,
        int gridPoints, SampleNoise noise, Action<int, Tensor>? onIteration = null, Action<SamplerStep>? progress = null)
    {
        var f = EvaluationCounter.Wrap(prior);
        using var noGrad = torch.NoGrad();
        var z = torch.Zeros(shape, DType.Float32, noise.Device);
        var x = torch.Zeros(shape, DType.Float32, noise.Device);
        try
        {
            for (int k = 0; k < rhos.Length; k++)
            {
                var grid = PriorGrid(sde, rhos[k], gridPoints);
                Tensor nextX, nextZ;
                using (torch.NewDisposeScope())
                {
                    nextX = likelihoodStep(z, x, rhos[k]).MoveToOuterDisposeScope();
                    nextZ = PriorStep(f, sde, nextX, grid, noise).MoveToOuterDisposeScope();
                }
                z.Dispose();
                x.Dispose();
                (z, x) = (nextZ, nextX);
                onIteration?.Invoke(k, z);
                progress?.Invoke(new SamplerStep(k + 1, rhos.Length, grid[0], f.Count));
            }
            return z;
        }
        catch
        {
            z.Dispose();
            throw;
        }
        finally { x.Dispose(); }
    }
}
