using System.Text.Json.Nodes;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// The galaxy paper's inpainting metric (Smith et al. 2022, Fig. 6): over the masked (trailed) pixels whose
/// true value exceeds 3 sigma (sigma = the image's noise), the fractional error (recovered - true) / true;
/// reported as the fraction within 10% and the median |fractional error|, plus the error of the total
/// masked flux. Because the "true" pixels carry their own noise, even an oracle that knew the noiseless
/// image would miss 10% on faint pixels: <see cref="OracleWithin10"/> is that noise-limited ceiling,
/// mean over the pixels of P(|N(0, sigma)| &lt; 0.1 true).
/// </summary>
public sealed record InpaintingScore(int Significant, double Within10, double MedianAbsFraction, double MaskedFluxError, double OracleWithin10, double[] Fractions)
{
    /// <summary>Fractional-error threshold of the paper ("within 10%").</summary>
    public const double Tolerance = 0.1;

    /// <summary>Scores <paramref name="recovered"/> against <paramref name="truth"/> over <paramref name="mask"/> (non-zero = filled pixel).</summary>
    public static InpaintingScore Compute(float[] truth, float[] mask, float[] recovered, double sigma)
    {
        var fr = new List<double>();
        double oracle = 0, sumT = 0, sumR = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (mask[i] == 0) continue;
            sumT += truth[i]; sumR += recovered[i];
            if (truth[i] <= 3 * sigma) continue;
            fr.Add((recovered[i] - truth[i]) / truth[i]);
            oracle += Scorpio.Astro.Numerics.SpecialFunctions.Erf(Tolerance * truth[i] / (sigma * Math.Sqrt(2)));
        }
        int n = fr.Count;
        return new InpaintingScore(n, n > 0 ? fr.Count(f => Math.Abs(f) <= Tolerance) / (double)n : double.NaN,
            n > 0 ? Descriptive.Median(fr.Select(Math.Abs)) : double.NaN,
            sumT > 0 ? (sumR - sumT) / sumT : double.NaN, n > 0 ? oracle / n : double.NaN, fr.ToArray());
    }

    /// <summary>The pooled score of several stamps' significant pixels (flux error: median over stamps).</summary>
    public static JsonObject Pooled(IReadOnlyList<InpaintingScore> scores)
    {
        var all = scores.SelectMany(s => s.Fractions).ToArray();
        double oracle = scores.Sum(s => s.Significant > 0 ? s.OracleWithin10 * s.Significant : 0) / Math.Max(1, all.Length);
        var flux = scores.Select(s => s.MaskedFluxError).Where(double.IsFinite).ToArray();
        return new JsonObject
        {
            ["significant_pixels"] = all.Length,
            ["fraction_within_10pct"] = Num(all.Length > 0 ? all.Count(f => Math.Abs(f) <= Tolerance) / (double)all.Length : double.NaN),
            ["median_abs_fractional_error"] = Num(all.Length > 0 ? Descriptive.Median(all.Select(Math.Abs)) : double.NaN),
            ["median_abs_masked_flux_error"] = Num(flux.Length > 0 ? Descriptive.Median(flux.Select(Math.Abs)) : double.NaN),
            ["oracle_fraction_within_10pct"] = Num(all.Length > 0 ? oracle : double.NaN),
        };
    }

    /// <summary>This stamp's numbers as JSON (without the per-pixel list).</summary>
    public JsonObject ToJson() => new()
    {
        ["significant_pixels"] = Significant,
        ["fraction_within_10pct"] = Num(Within10),
        ["median_abs_fractional_error"] = Num(MedianAbsFraction),
        ["masked_flux_error"] = Num(MaskedFluxError),
        ["oracle_fraction_within_10pct"] = Num(OracleWithin10),
    };

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
