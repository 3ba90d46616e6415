using Scorpio.Astro;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Per-pixel coverage of central credible intervals: for each level q, the fraction of truth pixels
/// lying inside the pixel's [(1-q)/2, (1+q)/2] posterior quantile range (linear interpolation
/// between sorted samples). A calibrated posterior gives coverage ~ q; below q is over-confident.
/// </summary>
public static class CredibleIntervalCoverage
{
    /// <summary>Default levels: 50%, 68% (the 16-84% band), 90%, 95%.</summary>
    public static readonly double[] DefaultLevels = { 0.5, 0.68, 0.9, 0.95 };

    /// <summary>
    /// Coverage for each level in <paramref name="levels"/>, over every pixel or, with <paramref name="mask"/> (one value per
    /// pixel, non-zero = counted), over the masked pixels only (e.g. an inpainted trail); NaN when no pixel is counted.
    /// </summary>
    public static double[] Compute(PosteriorSamples posterior, ImageData truth, IReadOnlyList<double>? levels = null, float[]? mask = null)
    {
        levels ??= DefaultLevels;
        posterior.RequireImageShape(truth, "truth");
        if (mask is not null && mask.Length != posterior.PixelCount)
            throw new UserInputException($"the coverage mask has {mask.Length} pixels but each posterior sample has {posterior.PixelCount}");
        long counted = mask?.LongCount(v => v != 0) ?? posterior.PixelCount;
        var inside = new long[levels.Count];
        object gate = new();
        Parallel.For(0, posterior.PixelCount, () => (new double[posterior.Count], new long[levels.Count]), (p, _, state) =>
        {
            var (buf, counts) = state;
            if (mask is not null && mask[p] == 0) return state;
            posterior.PixelValues(p, buf);
            Array.Sort(buf);
            double t = truth.Data[p];
            for (int k = 0; k < levels.Count; k++)
            {
                double lo = Descriptive.QuantileSorted(buf, (1 - levels[k]) / 2);
                double hi = Descriptive.QuantileSorted(buf, (1 + levels[k]) / 2);
                if (t >= lo && t <= hi) counts[k]++;
            }
            return state;
        }, state => { lock (gate) for (int k = 0; k < levels.Count; k++) inside[k] += state.Item2[k]; });
        return inside.Select(c => counted > 0 ? (double)c / counted : double.NaN).ToArray();
    }
}
