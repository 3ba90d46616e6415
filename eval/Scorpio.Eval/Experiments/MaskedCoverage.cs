using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Coverage of the masked (inpainted) true pixels by the samples' central 68% and 95% intervals (per pixel, linear
/// interpolation between sorted samples, as <see cref="Scorpio.Metrics.Posterior.CredibleIntervalCoverage"/>): the share of
/// masked pixels whose true value lies inside. A calibrated fill gives about 0.68 and 0.95; below is over-confident. Counts are
/// kept so that stamps pool by pixels.
/// </summary>
public sealed record MaskedCoverage(int Pixels, int Inside68, int Inside95)
{
    /// <summary>Coverage of <paramref name="truth"/> (H*W) over <paramref name="mask"/> (non-zero = masked) by <paramref name="samples"/> (N, ..., H, W).</summary>
    public static MaskedCoverage Compute(ImageData samples, float[] truth, float[] mask)
    {
        int pix = truth.Length, n = samples.Data.Length / pix;
        var buf = new double[n];
        int total = 0, in68 = 0, in95 = 0;
        for (int p = 0; p < pix; p++)
        {
            if (mask[p] == 0) continue;
            for (int k = 0; k < n; k++) buf[k] = samples.Data[k * pix + p];
            Array.Sort(buf);
            total++;
            if (Inside(buf, truth[p], 0.68)) in68++;
            if (Inside(buf, truth[p], 0.95)) in95++;
        }
        return new MaskedCoverage(total, in68, in95);
    }

    /// <summary>The pooled coverage of several stamps (by pixels).</summary>
    public static MaskedCoverage Pool(IEnumerable<MaskedCoverage> all) =>
        all.Aggregate(new MaskedCoverage(0, 0, 0), (a, b) => new MaskedCoverage(a.Pixels + b.Pixels, a.Inside68 + b.Inside68, a.Inside95 + b.Inside95));

    /// <summary>The JSON keys this record adds to a method's score: coverage_68 and coverage_95 of the masked pixels.</summary>
    public void AddTo(JsonObject score)
    {
        score["coverage_68"] = Pixels > 0 ? JsonValue.Create(Inside68 / (double)Pixels) : null;
        score["coverage_95"] = Pixels > 0 ? JsonValue.Create(Inside95 / (double)Pixels) : null;
    }

    private static bool Inside(double[] sorted, double t, double level) =>
        t >= Descriptive.QuantileSorted(sorted, (1 - level) / 2) && t <= Descriptive.QuantileSorted(sorted, (1 + level) / 2);
}
