using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Diffusion posterior sampling (Chung et al. 2023; Spagnoletti et al. 2024, diffusion4astro): at each step, Tweedie's estimate
/// x0_hat = (x_t + sigma^2 s(x_t, t)) / mu, the residual r = W (y - A x0_hat), one reverse-SDE Euler-Maruyama step
/// with the prior score, then a gradient step on the residual norm taken through the network:
/// x_next -= (zeta / ||r||) grad_{x_t} ||r||^2 (= 2 zeta grad ||r||), per sample. The step size zeta' = 1 by default
/// (diffusion4astro's 1/||r|| with the squared residual). W weights and masks: relative per-pixel weights (the pipeline
/// uses 1/sigma normalised to mean 1 over the observed pixels) and 0 for masked pixels. The gradient of ||W r|| scales
/// with W, so W must be relative: absolute 1/sigma weights would multiply the step by 1/sigma.
/// DPS is an approximation of the posterior (it does not sample it exactly even for Gaussian problems).
/// </summary>
public static class DpsSampler
{
    /// <summary>diffusion4astro's step size zeta' (the 1/||r|| normalisation is applied on top).</summary>
    public const double DefaultZeta = 1.0;

    /// <param name="prior">prior score (a trained model: the gradient goes back through its network).</param>
    /// <param name="sde">the prior's SDE.</param>
    /// <param name="grid">decreasing times from T to epsilon.</param>
    /// <param name="xT">start (B, C, H, W), a draw from the SDE's prior.</param>
    /// <param name="a">forward model in the prior's units (see <see cref="PriorUnits"/>).</param>
    /// <param name="observation">y in the operator's output units, (C', H', W').</param>
    /// <param name="weights">W as a (C', H', W') map of relative weights (mean 1 over observed pixels, 0 where masked), or null for 1.</param>
    /// <param name="zeta">step size zeta'.</param>
    /// <param name="noise">noise of the reverse SDE.</param>
    /// <param name="denoise">finish with Tweedie's estimate at the last time (default).</param>
    /// <param name="callback">progress after every step.</param>
    public static Tensor Sample(IScoreFunction prior, Sde sde, double[] grid, Tensor xT, ForwardOperator a, Tensor observation,
        Tensor? weights, double zeta, SampleNoise noise, bool denoise = true, Action<SamplerStep>? callback = null)
    {
        if (!(zeta >= 0) || !double.IsFinite(zeta)) throw new Astro.InvalidSettingException("zeta", $"must be a finite step size >= 0 (got {zeta})");
        // y and W on the sampling device and dtype once, not per step.
        using var y4 = observation.Dim == 3 ? observation.Unsqueeze(0) : observation.Alias();
        using var y = y4.To(xT.Device, xT.DType);
        using var w = weights?.To(xT.Device, xT.DType);
        var f = EvaluationCounter.Wrap(prior);
        int updates = grid.Length - 1 + (denoise ? 1 : 0);
        var current = SamplerLoop.Run(grid, xT, f, (x, i) =>
        {
            double t = grid[i], s = grid[i + 1];
            var (score, gradient) = ResidualGradient(f, sde, x, t, a, y, w);
            var z = noise.RandnLike(x);
            var stepped = ReverseSdeStep.Apply(sde, x, score, t, s, z);
            return stepped.Sub(gradient, 2 * zeta);
        }, callback is null ? null : step => callback(step with { Steps = updates }));
        if (!denoise) return current;
        using (current)
        {
            var denoised = Denoiser.Tweedie(f, sde, current, grid[^1]);
            callback?.Invoke(new SamplerStep(updates, updates, 0, f.Count));
            return denoised;
        }
    }

    /// <summary>The prior score at x (detached) and grad_x sum_b ||r_b|| through the network and the operator (y and weights on x's device and dtype).</summary>
    private static (Tensor Score, Tensor Gradient) ResidualGradient(IScoreFunction prior, Sde sde, Tensor x, double t,
        ForwardOperator a, Tensor y, Tensor? weights)
    {
        using var grad = torch.EnableGrad();
        var leaf = x.Detach();
        leaf.RequiresGrad = true;
        var score = prior.Score(leaf, t);
        double mu = sde.Mu(t), s2 = Math.Pow(sde.Sigma(t), 2);
        var x0 = leaf.Add(score, s2).Div(mu);
        var predicted = a.Apply(x0);
        var r = y.Sub(predicted);
        if (weights is not null) r = r.Mul(weights);
        var norms = r.Square().Flatten(1).Sum(1).Add(1e-30).Sqrt();   // ||r||, finite gradient at r = 0
        var loss = norms.Sum();
        var gradient = torch.Vjp(loss, leaf);
        return (score.Detach(), gradient);
    }
}
