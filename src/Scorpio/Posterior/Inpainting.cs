using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Inpainting with an unconditional prior (seed 001): run the reverse process and, after every step, replace the
/// known pixels by a forward-process sample of the observed image at the new time, mu(t) y + sigma(t) z
/// (astroddpm's plain replacement, started at t = 0.95 T, i.e. step 950 of 1000). Replacement alone does not sample
/// p(x_unknown | x_known): the known pixels' noisy path is drawn independently of the unknown ones, so the fill is pulled
/// towards the prior (in the galaxy tests it recovers only part of the masked flux). RePaint (Lugmayr et al. 2022) fixes this
/// by resampling: the steps are taken in blocks of <c>jump</c> steps; each block is run R = <c>resample</c> times, and
/// between runs x is re-noised from the block's end back to its start with the forward transition, which lets the filled
/// region equilibrate with its surroundings at every noise level (RePaint's defaults: jump 10, R 10). At the end the unknown pixels get Tweedie's denoising and the known pixels are set
/// to the observation. The reverse step is DDPM's ancestral step (see <see cref="ReverseStep"/>). Works in the prior's normalised units.
/// </summary>
public static class Inpainting
{
    /// <summary>astroddpm's start: 950 of 1000 steps.</summary>
    public const double DefaultStart = 0.95;

    /// <summary>RePaint's jump length (steps per resampled block).</summary>
    public const int DefaultJump = 10;

    /// <param name="prior">prior score.</param>
    /// <param name="sde">its SDE.</param>
    /// <param name="grid">decreasing times from the start time to epsilon (<see cref="PosteriorGrids.Uniform"/>).</param>
    /// <param name="known">the observed image (1, C, H, W) in normalised units (values under the mask are ignored).</param>
    /// <param name="mask">(C, H, W) or (H, W): 1 where the pixel is known, 0 where it is to be filled.</param>
    /// <param name="count">number of independent samples.</param>
    /// <param name="resample">RePaint repeats per block (1 = plain replacement).</param>
    /// <param name="noise">all random draws.</param>
    /// <param name="callback">progress after every step.</param>
    /// <param name="jump">RePaint block length in steps.</param>
    public static Tensor Sample(IScoreFunction prior, Sde sde, double[] grid, Tensor known, Tensor mask, int count, int resample,
        SampleNoise noise, Action<SamplerStep>? callback = null, int jump = DefaultJump)
    {
        if (resample < 1) throw new UserInputException($"--resample must be >= 1 (got {resample})");
        if (jump < 1) throw new UserInputException($"--jump must be >= 1 (got {jump})");
        using var scope = torch.NewDisposeScope();
        var y = known.Dim == 3 ? known.Unsqueeze(0) : known.Alias();
        var m = mask.Dim == 2 ? mask.Unsqueeze(0) : mask.Alias();
        if (!m.Shape.Skip(1).SequenceEqual(y.Shape.Skip(2)) || (m.Size(0) != 1 && m.Size(0) != y.Size(1)))
            throw new UserInputException($"the mask has shape {string.Join("x", mask.Shape)} but the image is {string.Join("x", y.Shape.Skip(1))}: the mask must cover the image pixel for pixel");
        m = m.Ne(0.0).To(y.DType).Unsqueeze(0);                 // (1, C or 1, H, W)
        var unknown = m.Neg().Add(1.0);
        // Fill unknown pixels with the mean of the known ones before the first forward draw (barely matters at t = 0.95 T).
        var knownMean = y.Mul(m).Sum().Div(m.ExpandAs(y).Sum().Clamp(1.0));
        var filled = y.Mul(m).Add(unknown.Mul(knownMean));
        var shape = new long[] { count, y.Size(1), y.Size(2), y.Size(3) };
        var start = ForwardSample(sde, filled.Expand(shape), grid[0], noise);
        var current = start.DetachFromDisposeScope();
        int steps = grid.Length - 1;
        int updates = steps * resample;
        int done = 0;
        for (int block = 0; block < steps; block += jump)
        {
            int end = Math.Min(block + jump, steps);
            for (int r = 0; r < resample; r++)
            {
                for (int i = block; i < end; i++)
                {
                    Tensor next;
                    using (torch.NewDisposeScope())
                    {
                        var stepped = ReverseStep(prior, sde, current, grid[i], grid[i + 1], noise);
                        var observed = ForwardSample(sde, y.Expand(shape), grid[i + 1], noise);
                        next = observed.Mul(m).Add(stepped.Mul(unknown)).MoveToOuterDisposeScope();
                    }
                    current.Dispose();
                    current = next.DetachFromDisposeScope();
                    callback?.Invoke(new SamplerStep(++done, updates + 1, grid[i + 1], done));
                }
                if (r + 1 < resample)
                {
                    // Jump back: the forward transition from the block's end to its start.
                    var renoised = Renoise(sde, current, grid[end], grid[block], noise).DetachFromDisposeScope();
                    current.Dispose();
                    current = renoised;
                }
            }
        }
        using (current)
        {
            var denoised = Denoiser.Tweedie(prior, sde, current, grid[^1]);
            var result = y.Expand(shape).Mul(m).Add(denoised.Mul(unknown));
            callback?.Invoke(new SamplerStep(updates + 1, updates + 1, 0, done + 1));
            return result.MoveToOuterDisposeScope();
        }
    }

    /// <summary>x_t = mu(t) x0 + sigma(t) z.</summary>
    internal static Tensor ForwardSample(Sde sde, Tensor x0, double t, SampleNoise noise)
    {
        using var z = noise.RandnLike(x0);
        using var scaled = x0.Mul(sde.Mu(t));
        return scaled.Add(z, sde.Sigma(t));
    }

    /// <summary>
    /// One ancestral step from t to s &lt; t (DDPM's posterior q(x_s | x_t, x0_hat) with Tweedie's x0_hat): stable at low noise,
    /// where an Euler-Maruyama step on the stiff score overshoots, and the natural inverse of <see cref="Renoise"/>, which
    /// RePaint's resampling relies on. With sigma_{t|s}^2 = sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2:
    /// mean = mu_s sigma_{t|s}^2/sigma_t^2 x0_hat + (mu_t/mu_s) sigma_s^2/sigma_t^2 x_t, variance = sigma_s^2 sigma_{t|s}^2/sigma_t^2.
    /// </summary>
    internal static Tensor ReverseStep(IScoreFunction score, Sde sde, Tensor x, double t, double s, SampleNoise noise)
    {
        using var noGrad = torch.NoGrad();
        double muT = sde.Mu(t), sigT = sde.Sigma(t), muS = sde.Mu(s), sigS = sde.Sigma(s);
        double ratio = muT / muS;
        double condVar = Math.Max(sigT * sigT - ratio * ratio * sigS * sigS, 0);
        using var x0 = Denoiser.Tweedie(score, sde, x, t);
        using var a = x0.Mul(muS * condVar / (sigT * sigT));
        using var mean = a.Add(x, ratio * sigS * sigS / (sigT * sigT));
        using var z = noise.RandnLike(x);
        return mean.Add(z, Math.Sqrt(sigS * sigS * condVar / (sigT * sigT)));
    }

    /// <summary>The forward transition from time s to t &gt; s: x_t = (mu_t/mu_s) x_s + sqrt(sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2) z.</summary>
    internal static Tensor Renoise(Sde sde, Tensor x, double s, double t, SampleNoise noise)
    {
        double ratio = sde.Mu(t) / sde.Mu(s);
        double variance = Math.Max(Math.Pow(sde.Sigma(t), 2) - ratio * ratio * Math.Pow(sde.Sigma(s), 2), 0);
        using var z = noise.RandnLike(x);
        using var scaled = x.Mul(ratio);
        return scaled.Add(z, Math.Sqrt(variance));
    }
}
