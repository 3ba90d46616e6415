using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// SDEdit domain transfer (Meng et al. 2022; Smith et al. 2022): noise the input forward to time t0 (a fraction of T:
/// 0.6 is step 600 of 1000), x_t0 = mu(t0) x + sigma(t0) z, then run a sampler from t0 to epsilon with the prior.
/// Small t0 keeps the input (t0 -&gt; 0 returns it); t0 = T forgets it and gives an unconditional prior sample.
/// The sampler's full grid is truncated at t0, so the step density is the sampler's own. Normalised units.
/// </summary>
public static class SdeditTransfer
{
    /// <summary>The galaxy paper's transfer time: 600 of 1000 steps.</summary>
    public const double DefaultFraction = 0.6;

    /// <param name="sampler">a sampler from <see cref="SamplerRegistry"/>.</param>
    /// <param name="prior">prior score.</param>
    /// <param name="sde">its SDE.</param>
    /// <param name="input">images to transfer (B, C, H, W), normalised units.</param>
    /// <param name="fraction">t0 / T in (0, 1].</param>
    /// <param name="noise">all random draws.</param>
    /// <param name="options">sampler options (steps are those of the full grid; Denoise applies Tweedie at the end).</param>
    /// <param name="callback">progress of the sampler.</param>
    public static Tensor Transfer(SamplerDefinition sampler, IScoreFunction prior, Sde sde, Tensor input, double fraction,
        SampleNoise noise, SamplerOptions? options = null, Action<SamplerStep>? callback = null)
    {
        options ??= new SamplerOptions();
        double t0 = PosteriorGrids.TimeOfFraction(sde, fraction, "fraction");
        var full = SamplerRegistry.Grid(sampler, sde, options);
        var grid = PosteriorGrids.Truncate(full, t0);
        using var noised = Inpainting.ForwardSample(sde, input, t0, noise);
        // At t0 = T the input is forgotten only if mu(T) ~ 0 (VP); with VE the prior at T is N(0, sigma_max^2) and x's
        // contribution is negligible against sigma_max as well.
        var x = grid.Length > 1 ? sampler.Run(prior, sde, grid, noised, noise, options, callback) : noised.Clone();
        if (!options.Denoise) return x;
        using (x) return Denoiser.Tweedie(prior, sde, x, grid[^1]);
    }
}
