using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Summary maps of posterior samples (Salhi et al. 2024; Spagnoletti et al. 2024; Adam et al. 2023), all in physical units on the model grid: mean, median,
/// standard deviation, the 16/84 and 15/85 percentiles; the residual y - A(median) on the observed grid; and the
/// variance ratio (Spagnoletti et al. 2024): pixel variance over posterior samples divided by pixel variance over prior samples drawn by
/// the same model (+1e-10), with its mean in a central circular aperture.
/// </summary>
public sealed class PosteriorSummary : IDisposable
{
    /// <summary>Added to the prior variance in the variance ratio (Spagnoletti et al. 2024).</summary>
    public const double VarianceFloor = 1e-10;

    private PosteriorSummary() { }

    public Tensor Mean { get; private init; } = null!;
    public Tensor Median { get; private init; } = null!;
    public Tensor Std { get; private init; } = null!;
    public Tensor P16 { get; private init; } = null!;
    public Tensor P84 { get; private init; } = null!;
    public Tensor P15 { get; private init; } = null!;
    public Tensor P85 { get; private init; } = null!;
    /// <summary>y - A(median) on the observed grid (masked pixels 0), or null without an observation.</summary>
    public Tensor? Residual { get; private init; }
    /// <summary>Posterior variance / (prior variance + 1e-10), or null without prior samples.</summary>
    public Tensor? VarianceRatio { get; private init; }
    /// <summary>Mean of <see cref="VarianceRatio"/> within <see cref="ApertureRadius"/> of the image centre.</summary>
    public double? ApertureVarianceRatio { get; private init; }
    public double ApertureRadius { get; private init; }
    /// <summary>sum((residual / sigma)^2) / (observed pixels), when sigma is known.</summary>
    public double? ChiSquaredPerDof { get; private init; }
    /// <summary>Root mean square of the residual over observed pixels.</summary>
    public double? ResidualRms { get; private init; }

    /// <param name="samples">posterior samples (N, C, H, W), physical units.</param>
    /// <param name="a">the physical forward model (for the residual), or null.</param>
    /// <param name="observation">y (C', H', W') and its 0/1 mask, or null.</param>
    /// <param name="sigma">noise standard deviation per observed pixel (C', H', W') or null when unknown (SLIC).</param>
    /// <param name="priorSamples">unconditional samples (M, C, H, W) from the same prior and sampler, or null.</param>
    /// <param name="apertureRadius">radius in model pixels of the central aperture (Spagnoletti et al. 2024: 30 px), clipped to the image.</param>
    public static PosteriorSummary Compute(Tensor samples, ForwardOperator? a, (Tensor Values, Tensor Mask)? observation,
        Tensor? sigma, Tensor? priorSamples, double apertureRadius = 30)
    {
        using var scope = torch.NewDisposeScope();
        var x = samples.To(DType.Float64);
        Tensor Keep(Tensor t) => t.To(DType.Float32).MoveToOuterDisposeScope().DetachFromDisposeScope();
        var mean = x.Mean(0);
        var q = Quantiles(x, [0.5, 0.16, 0.84, 0.15, 0.85]);           // (5, C, H, W)
        var std = x.Size(0) > 1 ? x.Std([0]) : torch.ZerosLike(mean);
        long h = x.Size(2), w = x.Size(3);
        double radius = Math.Min(apertureRadius, Math.Min(h, w) / 2.0);

        Tensor? residual = null;
        double? chi2 = null, rms = null;
        if (a is not null && observation is { } obs)
        {
            var median = q.Select(0, 0).Unsqueeze(0);
            var predicted = a.Apply(median).Squeeze(0);
            var r = obs.Values.To(DType.Float64).Sub(predicted).Mul(obs.Mask);
            double count = Math.Max(1, obs.Mask.Sum().ToDouble());
            rms = Math.Sqrt(r.Square().Sum().ToDouble() / count);
            if (sigma is not null) chi2 = r.Div(sigma.To(DType.Float64)).Mul(obs.Mask).Square().Sum().ToDouble() / count;
            residual = Keep(r);
        }
        Tensor? ratio = null;
        double? aperture = null;
        if (priorSamples is not null && priorSamples.Size(0) > 1 && x.Size(0) > 1)
        {
            var priorVar = priorSamples.To(DType.Float64).Var([0]);
            var r = x.Var([0]).Div(priorVar.Add(VarianceFloor));
            var inside = Aperture(h, w, radius);
            aperture = r.Mul(inside).Sum().ToDouble() / (inside.Sum().ToDouble() * r.Size(0));
            ratio = Keep(r);
        }
        return new PosteriorSummary
        {
            Mean = Keep(mean), Median = Keep(q.Select(0, 0)), Std = Keep(std),
            P16 = Keep(q.Select(0, 1)), P84 = Keep(q.Select(0, 2)), P15 = Keep(q.Select(0, 3)), P85 = Keep(q.Select(0, 4)),
            Residual = residual, VarianceRatio = ratio, ApertureVarianceRatio = aperture, ApertureRadius = radius,
            ChiSquaredPerDof = chi2, ResidualRms = rms,
        };
    }

    /// <summary>
    /// Quantiles over the sample axis, computed in chunks of pixels: libtorch's quantile refuses inputs above 2^24 elements
    /// (e.g. 300 samples of 256x256).
    /// </summary>
    internal static Tensor Quantiles(Tensor x, double[] levels)
    {
        using var q64 = torch.FromArray(levels, levels.Length);
        using var q = q64.To(x.DType);                                  // quantile wants q in the input's dtype
        long n = x.Size(0), pixels = x.Numel / n;
        using var flat = x.Reshape(n, pixels);
        long chunk = Math.Max(1, (1L << 23) / n);
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < pixels; start += chunk)
            {
                using var part = flat.Narrow(1, start, Math.Min(chunk, pixels - start));
                parts.Add(part.Quantile(q, 0));
            }
            using var all = torch.Cat(parts.ToArray(), 1);
            return all.Reshape([levels.Length, .. x.Shape.Skip(1)]);
        }
        finally { foreach (var p in parts) p.Dispose(); }
    }

    /// <summary>The median over the sample axis of (N, C, H, W), as (C, H, W), same dtype.</summary>
    internal static Tensor MedianOf(Tensor samples)
    {
        using var q = Quantiles(samples, [0.5]);
        return q.Select(0, 0).Contiguous();
    }

    /// <summary>1 inside the circle of <paramref name="radius"/> pixels around the image centre ((H-1)/2, (W-1)/2), (H, W) float64.</summary>
    public static Tensor Aperture(long h, long w, double radius)
    {
        var d = new double[h * w];
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        for (long i = 0; i < h; i++)
            for (long j = 0; j < w; j++)
                d[i * w + j] = (i - cy) * (i - cy) + (j - cx) * (j - cx) <= radius * radius ? 1 : 0;
        return torch.FromArray(d, h, w);
    }

    public void Dispose()
    {
        foreach (var t in new[] { Mean, Median, Std, P16, P84, P15, P85, Residual, VarianceRatio }) t?.Dispose();
    }
}
