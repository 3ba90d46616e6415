using Scorpio.Astro.Imaging;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// The plots of Scorpio's reports, in one place, as SVG (vector: axes, tick labels and legends stay sharp and
/// searchable in the browser): TARP expected-coverage curves, per-pixel coverage against credible level, overlaid density
/// histograms (with an optional reference density, e.g. N(0, 1) for z-scores) and general curves (loss, spectra).
/// Embed the result with <see cref="HtmlReport.Svg"/> or write it to a file.
/// </summary>
public static class ReportPlots
{
    /// <summary>Curve colours in order (red, blue, green, purple, ...), so captions can name them.</summary>
    public static readonly string[] Colours = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b" };

    /// <summary>TARP (Lemos et al. 2023): expected coverage against credibility level, with the calibrated diagonal dashed.</summary>
    public static string Tarp(IReadOnlyList<(string Name, IReadOnlyList<double> Alpha, IReadOnlyList<double> Ecp)> curves, string title = "TARP expected coverage")
    {
        var series = curves.Select((c, k) => new PlotSeries(c.Name, c.Alpha, c.Ecp) { Color = Colours[k % Colours.Length] }).ToList();
        return UnitSquare(series, title, "credibility level alpha", "expected coverage probability");
    }

    /// <summary>Per-pixel coverage: the fraction of truth pixels inside the central credible interval at each level, with the diagonal.</summary>
    public static string Coverage(IReadOnlyList<double> levels, IReadOnlyList<(string Name, IReadOnlyList<double> Fractions)> runs, string title = "per-pixel credible-interval coverage")
    {
        var series = runs.Select((r, k) => new PlotSeries(r.Name, levels, r.Fractions) { Color = Colours[k % Colours.Length] }).ToList();
        return UnitSquare(series, title, "credible level", "fraction of truth pixels inside");
    }

    /// <summary>
    /// Overlaid density histograms on shared bins (pooled 0.5-99.5% quantiles), with an optional reference density drawn
    /// dashed (e.g. the standard normal for z-scores, which a calibrated posterior follows).
    /// </summary>
    public static string Histograms(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> samples,
        Func<double, double>? reference = null, string referenceName = "reference", bool logY = false, int bins = 40, IReadOnlyList<string>? colours = null)
    {
        var (edges, dens) = Histogram.Shared(samples.Select(s => s.Values).ToList(), bins);
        var series = samples.Select((s, k) => Histogram.Step(s.Name, edges, dens[k], colours?[k] ?? Colours[k % Colours.Length], logY)).ToList();
        if (reference is not null)
        {
            var x = Enumerable.Range(0, 201).Select(i => edges[0] + (edges[^1] - edges[0]) * i / 200).ToArray();
            series.Add(new PlotSeries(referenceName, x, x.Select(reference).ToArray()) { Color = "#000000", Dashed = true });
        }
        return SvgPlot.LineSvg(series, new PlotOptions { Title = title, XLabel = xLabel, YLabel = "density", LogY = logY, Width = 520, Height = 340 });
    }

    /// <summary>The standard normal density, the reference for z-score histograms.</summary>
    public static double StandardNormal(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary>General curves (loss against step, spectra against frequency, ...), linear or log axes.</summary>
    public static string Curves(string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, bool logX = false, bool logY = false) =>
        SvgPlot.LineSvg(series, new PlotOptions { Title = title, XLabel = xLabel, YLabel = yLabel, LogX = logX, LogY = logY, Width = 560, Height = 360 });

    private static string UnitSquare(List<PlotSeries> series, string title, string xLabel, string yLabel)
    {
        series.Add(new PlotSeries("calibrated (diagonal)", new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }) { Color = "#7f7f7f", Dashed = true });
        return SvgPlot.LineSvg(series, new PlotOptions { Title = title, XLabel = xLabel, YLabel = yLabel, Width = 460, Height = 420 });
    }
}
