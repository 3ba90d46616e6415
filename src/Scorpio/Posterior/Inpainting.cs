using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Inpainting with an unconditional prior (Smith et al. 2022): run the reverse process and, after every step, replace the
/// known pixels by a forward-process sample of the observed image at the new time, mu(t) y + sigma(t) z
/// (astroddpm's plain replacement, started at t = 0.95 T, i.e. step 950 of 1000). Replacement alone does not sample
/// p(x_unknown | x_known): the known pixels' noisy path is drawn independently of the unknown ones, so the fill is pulled
/// towards the prior (in the galaxy tests it recovers only part of the masked flux). RePaint (Lugmayr et al. 2022) fixes this
/// by resampling: the steps are taken in blocks of <c>jump</c> steps; each block is run R = <c>resample</c> times, and
/// between runs x is re-noised from the block's end back to its start with the forward transition, which lets the filled
/// region equilibrate with its surroundings at every noise level (RePaint's defaults: jump 10, R 10). At the end the unknown pixels get Tweedie's denoising and the known pixels are set
/// to the observation. The reverse step is DDPM's ancestral step (<see cref="AncestralStep"/>), the jump back the forward transition
/// (<see cref="Sde.Transition"/>). Works in the prior's normalised units.
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
        if (resample < 1) throw new InvalidSettingException("resample", $"must be >= 1 (got {resample})");
        if (jump < 1) throw new InvalidSettingException("jump", $"must be >= 1 (got {jump})");
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
        var f = EvaluationCounter.Wrap(prior);
        var current = ForwardSample(sde, filled.Expand(shape), grid[0], noise).DetachFromDisposeScope();
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
                        var stepped = AncestralStep.Apply(f, sde, current, grid[i], grid[i + 1], noise);
                        var observed = ForwardSample(sde, y.Expand(shape), grid[i + 1], noise);
                        next = observed.Mul(m).Add(stepped.Mul(unknown)).MoveToOuterDisposeScope();
                    }
                    current.Dispose();
                    current = next.DetachFromDisposeScope();
                    callback?.Invoke(new SamplerStep(++done, updates + 1, grid[i + 1], f.Count));
                }
                if (r + 1 < resample)
                {
                    // Jump back: the forward transition from the block's end to its start.
                    using var z = noise.RandnLike(current);
                    var renoised = sde.Transition(current, grid[end], grid[block], z).DetachFromDisposeScope();
                    current.Dispose();
                    current = renoised;
                }
            }
        }
        using (current)
        {
            var denoised = Denoiser.Tweedie(f, sde, current, grid[^1]);
            var result = y.Expand(shape).Mul(m).Add(denoised.Mul(unknown));
            callback?.Invoke(new SamplerStep(updates + 1, updates + 1, 0, f.Count));
            return result.MoveToOuterDisposeScope();
        }
    }

    /// <summary>x_t = mu(t) x0 + sigma(t) z with a fresh z.</summary>
    internal static Tensor ForwardSample(Sde sde, Tensor x0, double t, SampleNoise noise)
    {
        using var z = noise.RandnLike(x0);
        return sde.Perturb(x0, t, z);
    }
}
