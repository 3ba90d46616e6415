using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Spectra;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// The SLIC paper's spectral-precision metric and its companion: box-extracted spectra of one
/// method over R noise realisations ((R, C) fluxes, DN per column) judged against the clean frame's
/// spectrum. Scatter = per-column standard deviation over realisations (N - 1), averaged over
/// columns (the paper's number); bias = per-column mean over realisations minus the truth, because a
/// method can lower its scatter by smoothing the trace away, which only the bias shows.
/// </summary>
public static class ExtractionStatistics
{
    /// <summary>Per-column scatter (std over realisations), DN.</summary>
    public static double[] Scatter(ImageData spectra) => BoxExtraction.ScatterPerColumn(spectra);

    /// <summary>Per-column mean over realisations, DN.</summary>
    public static double[] Mean(ImageData spectra)
    {
        // (R, C) is a 2-D image, so the realisations are its rows: count them from the data, not the plane count.
        int c = spectra.Width, r = spectra.Data.Length / c;
        var mean = new double[c];
        for (int k = 0; k < r; k++)
            for (int x = 0; x < c; x++) mean[x] += spectra.Data[k * c + x] / (double)r;
        return mean;
    }

    /// <summary>Numbers of one method: meanScatter, meanAbsBias, meanBias, rmse (DN) and the relative forms
    /// (divided by the mean true flux per column).</summary>
    public static JsonObject Summarise(ImageData spectra, double[] truth)
    {
        var scatter = Scatter(spectra);
        var mean = Mean(spectra);
        int c = spectra.Width, r = spectra.Data.Length / c;
        double absBias = 0, bias = 0, mse = 0;
        for (int x = 0; x < c; x++)
        {
            double b = mean[x] - truth[x];
            absBias += Math.Abs(b);
            bias += b;
            for (int k = 0; k < r; k++)
            {
                double e = spectra.Data[k * c + x] - truth[x];
                mse += e * e;
            }
        }
        double flux = truth.Average();
        double meanScatter = scatter.Average();
        return new JsonObject
        {
            ["meanScatter"] = Round(meanScatter),
            ["meanAbsBias"] = Round(absBias / c),
            ["meanBias"] = Round(bias / c),
            ["rmse"] = Round(Math.Sqrt(mse / (r * (double)c))),
            ["relativeScatterPercent"] = Round(100 * meanScatter / flux),
            ["relativeBiasPercent"] = Round(100 * bias / c / flux),
        };
    }

    /// <summary>Rounds to 4 significant digits for the JSON (the document shows 2-3).</summary>
    public static double Round(double v) =>
        v == 0 || !double.IsFinite(v) ? v : Math.Round(v, Math.Max(0, 3 - (int)Math.Floor(Math.Log10(Math.Abs(v)))));
}
