using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Metrics.Posterior;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Coverage of the masked (inpainted) true pixels by the samples' central 68% and 95% intervals
/// (<see cref="CredibleIntervalCoverage"/> over the masked pixels, from the truth's rank among the samples). A calibrated fill
/// gives 0.68 and 0.95 whatever the sample count; below is over-confident. Counts are kept so that stamps pool by pixels.
/// </summary>
public sealed record MaskedCoverage(int Pixels, double Inside68, double Inside95)
{
    /// <summary>Coverage of <paramref name="truth"/> over <paramref name="mask"/> (non-zero = masked) by <paramref name="samples"/> (N, ..., H, W).</summary>
    public static MaskedCoverage Compute(ImageData samples, ImageData truth, float[] mask)
    {
        int pixels = mask.Count(v => v != 0);
        if (pixels == 0) return new MaskedCoverage(0, 0, 0);
        var c = CredibleIntervalCoverage.Compute(new PosteriorSamples(samples), truth, [0.68, 0.95], mask);
        return new MaskedCoverage(pixels, c[0] * pixels, c[1] * pixels);
    }

    /// <summary>The pooled coverage of several stamps (by pixels).</summary>
    public static MaskedCoverage Pool(IEnumerable<MaskedCoverage> all) =>
        all.Aggregate(new MaskedCoverage(0, 0, 0), (a, b) => new MaskedCoverage(a.Pixels + b.Pixels, a.Inside68 + b.Inside68, a.Inside95 + b.Inside95));

    /// <summary>The JSON keys this record adds to a method's score: coverage_68 and coverage_95 of the masked pixels.</summary>
    public void AddTo(JsonObject score)
    {
        score["coverage_68"] = Pixels > 0 ? JsonValue.Create(Inside68 / Pixels) : null;
        score["coverage_95"] = Pixels > 0 ? JsonValue.Create(Inside95 / Pixels) : null;
    }
}
