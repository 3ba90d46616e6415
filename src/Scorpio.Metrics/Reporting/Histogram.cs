using Scorpio.Astro.Imaging;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// Density histograms of several samples on shared equal-width bins, drawn as step curves with
/// Scorpio.Astro's SVG line plots. Bins span the pooled 0.5%..99.5% quantiles (values beyond go to
/// the end bins) so a few outliers do not squash the plot.
/// </summary>
internal static class Histogram
{
    /// <summary>Colours of real half A, real half B and generated curves, the same in every figure.</summary>
    public const string RealA = "#1f77b4", RealB = "#2ca02c", Generated = "#ff7f0e";

    /// <summary>Bin edges and one density array per sample.</summary>
    public static (double[] Edges, double[][] Densities) Shared(IReadOnlyList<IReadOnlyList<double>> samples, int bins = 40)
    {
        var pooled = samples.SelectMany(s => s).Where(double.IsFinite).OrderBy(v => v).ToArray();
        if (pooled.Length == 0) return (new[] { 0.0, 1.0 }, samples.Select(_ => new[] { 0.0 }).ToArray());
        double lo = Statistics.Descriptive.QuantileSorted(pooled, 0.005), hi = Statistics.Descriptive.QuantileSorted(pooled, 0.995);
        if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
        var edges = Enumerable.Range(0, bins + 1).Select(i => lo + (hi - lo) * i / bins).ToArray();
        double width = (hi - lo) / bins;
        var dens = samples.Select(s =>
        {
            var c = new double[bins];
            int n = 0;
            foreach (var v in s)
            {
                if (!double.IsFinite(v)) continue;
                c[Math.Clamp((int)Math.Floor((v - lo) / width), 0, bins - 1)]++;
                n++;
            }
            return c.Select(x => x / Math.Max(1, n) / width).ToArray();
        }).ToArray();
        return (edges, dens);
    }

    /// <summary>A step curve through the bins (for a line plot).</summary>
    public static PlotSeries Step(string name, IReadOnlyList<double> edges, IReadOnlyList<double> heights, string colour, bool logY = false)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (int i = 0; i < heights.Count; i++)
        {
            // Empty bins break a log-scale curve instead of dropping to an invisible zero.
            double h = logY && heights[i] <= 0 ? double.NaN : heights[i];
            x.Add(edges[i]); y.Add(h); x.Add(edges[i + 1]); y.Add(h);
        }
        return new PlotSeries(name, x, y) { Color = colour };
    }

    /// <summary>An SVG of overlaid density histograms of real A, real B and generated values.</summary>
    public static string Overlay(string title, string xLabel, IReadOnlyList<double> realA, IReadOnlyList<double> realB, IReadOnlyList<double> generated, bool logY = false) =>
        ReportPlots.Histograms(title, xLabel, new (string, IReadOnlyList<double>)[] { ("real (half A)", realA), ("real (half B)", realB), ("generated", generated) },
            logY: logY, colours: new[] { RealA, RealB, Generated });
}
