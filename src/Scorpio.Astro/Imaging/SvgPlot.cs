using System.Globalization;
using System.Text;
using Scorpio.Astro.DataTools;

namespace Scorpio.Astro.Imaging;

/// <summary>
/// Self-contained SVG figures (vector: text stays text, drawn in the reader's font): line plots with several series, a legend, ticked and
/// labelled axes (linear or log), and overlaid step histograms. Used for loss curves, power spectra,
/// residual distributions and calibration plots in reports.
/// </summary>
public static class SvgPlot
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };
    private const double Left = 70, Right = 20, Top = 36, Bottom = 50;

    /// <summary>Writes a line plot to <paramref name="path"/> (atomically).</summary>
    public static void Line(string path, IReadOnlyList<PlotSeries> series, PlotOptions? options = null) =>
        AtomicFile.WriteAllText(path, LineSvg(series, options));

    /// <summary>Writes overlaid step histograms (common bins over the pooled range) to <paramref name="path"/>.</summary>
    /// <param name="density">Normalise each histogram to unit area (compare samples of different sizes).</param>
    public static void Histogram(string path, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> data, int bins = 50, PlotOptions? options = null, bool density = false) =>
        AtomicFile.WriteAllText(path, HistogramSvg(data, bins, options, density));

    /// <summary>The SVG text of a line plot.</summary>
    public static string LineSvg(IReadOnlyList<PlotSeries> series, PlotOptions? options = null)
    {
        var o = options ?? new PlotOptions();
        if (series.Count == 0) throw new UserInputException("line plot: no series given");
        foreach (var s in series)
            if (s.X.Count != s.Y.Count) throw new UserInputException($"line plot: series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values");
        var pts = series.Select(s => Enumerable.Range(0, s.X.Count).Select(i => (X: s.X[i], Y: s.Y[i]))
            .Where(p => Usable(p.X, o.LogX) && Usable(p.Y, o.LogY)).ToList()).ToList();
        var all = pts.SelectMany(p => p).ToList();
        if (all.Count == 0) throw new UserInputException("line plot: no finite points to draw" + (o.LogX || o.LogY ? " (log axes drop values <= 0)" : ""));
        var xa = new Axis(all.Min(p => p.X), all.Max(p => p.X), o.LogX, Left, o.Width - Right);
        var ya = new Axis(all.Min(p => p.Y), all.Max(p => p.Y), o.LogY, o.Height - Bottom, Top);
        var entries = series.Select((s, k) => (s.Name, s.Color ?? Palette[k % Palette.Length])).ToList();
        var sb = Begin(o, xa, ya, entries);
        for (int k = 0; k < series.Count; k++)
        {
            string color = series[k].Color ?? Palette[k % Palette.Length];
            var d = new StringBuilder();
            bool pen = false;
            for (int i = 0; i < series[k].X.Count; i++)
            {
                double x = series[k].X[i], y = series[k].Y[i];
                if (!Usable(x, o.LogX) || !Usable(y, o.LogY)) { pen = false; continue; }
                d.Append(pen ? " L" : " M").Append(F(xa.Map(x))).Append(',').Append(F(ya.Map(y)));
                pen = true;
            }
            sb.Append($"<path class=\"series\" data-name=\"{Esc(series[k].Name)}\" d=\"{d.ToString().Trim()}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\"{(series[k].Dashed ? " stroke-dasharray=\"6,4\"" : "")}/>\n");
        }
        Legend(sb, o, entries);
        return sb.Append("</svg>\n").ToString();
    }

    /// <summary>The SVG text of overlaid step histograms.</summary>
    public static string HistogramSvg(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> data, int bins = 50, PlotOptions? options = null, bool density = false)
    {
        var o = options ?? new PlotOptions();
        if (data.Count == 0) throw new UserInputException("histogram: no data sets given");
        if (bins < 1) throw new UserInputException($"histogram: bins must be at least 1 (got {bins})");
        var finite = data.Select(d => d.Values.Where(v => Usable(v, o.LogX)).ToArray()).ToList();
        var pooled = finite.SelectMany(v => v).ToList();
        if (pooled.Count == 0) throw new UserInputException("histogram: no finite values to bin");
        double lo = pooled.Min(), hi = pooled.Max();
        if (hi == lo) { lo -= 0.5; hi += 0.5; }
        Func<double, double> tx = o.LogX ? Math.Log10 : v => v;
        double tlo = tx(lo), thi = tx(hi), width = (thi - tlo) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => o.LogX ? Math.Pow(10, tlo + i * width) : tlo + i * width).ToArray();
        var counts = finite.Select(vals =>
        {
            var c = new double[bins];
            foreach (var v in vals) c[Math.Clamp((int)((tx(v) - tlo) / width), 0, bins - 1)]++;
            if (density && vals.Length > 0)
                for (int i = 0; i < bins; i++) c[i] /= vals.Length * (edges[i + 1] - edges[i]);
            return c;
        }).ToList();
        double ymax = counts.Max(c => c.Max());
        double ymin = o.LogY ? counts.SelectMany(c => c).Where(v => v > 0).DefaultIfEmpty(1).Min() / 2 : 0;
        var xa = new Axis(lo, hi, o.LogX, Left, o.Width - Right);
        var ya = new Axis(ymin, ymax * (o.LogY ? 1.5 : 1.05), o.LogY, o.Height - Bottom, Top, padFraction: 0);
        var entries = data.Select((d, k) => (d.Name, Palette[k % Palette.Length])).ToList();
        var sb = Begin(o with { YLabel = o.YLabel ?? (density ? "density" : "count") }, xa, ya, entries);
        for (int k = 0; k < data.Count; k++)
        {
            string color = Palette[k % Palette.Length];
            double Y(double v) => ya.Map(o.LogY ? Math.Max(v, ymin) : v);
            var d = new StringBuilder($"M{F(xa.Map(edges[0]))},{F(Y(0))}");
            for (int i = 0; i < bins; i++)
                d.Append($" L{F(xa.Map(edges[i]))},{F(Y(counts[k][i]))} L{F(xa.Map(edges[i + 1]))},{F(Y(counts[k][i]))}");
            d.Append($" L{F(xa.Map(edges[bins]))},{F(Y(0))}");
            sb.Append($"<path class=\"series\" data-name=\"{Esc(data[k].Name)}\" d=\"{d}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.4\"/>\n");
        }
        Legend(sb, o, entries);
        return sb.Append("</svg>\n").ToString();
    }

    private static bool Usable(double v, bool log) => double.IsFinite(v) && (!log || v > 0);

    // A legend too wide for a corner of the axes goes under the figure, which grows by this height.
    private static double LegendBelowHeight(PlotOptions o, IReadOnlyList<(string Name, string Color)> entries) =>
        LegendWidth(entries) > 0.55 * (o.Width - Left - Right) ? entries.Count * 16 + 12 : 0;

    private static double LegendWidth(IReadOnlyList<(string Name, string Color)> entries) => entries.Max(e => e.Name.Length) * 7 + 34;

    private static StringBuilder Begin(PlotOptions o, Axis xa, Axis ya, IReadOnlyList<(string Name, string Color)> legend)
    {
        var sb = new StringBuilder();
        double below = LegendBelowHeight(o, legend), height = o.Height + below, width = below > 0 ? Math.Max(o.Width, LegendWidth(legend) + 16) : o.Width;
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{F(width)}\" height=\"{F(height)}\" fill=\"white\"/>\n");
        double x0 = Left, x1 = o.Width - Right, y0 = o.Height - Bottom, y1 = Top;
        sb.Append($"<rect x=\"{F(x0)}\" y=\"{F(y1)}\" width=\"{F(x1 - x0)}\" height=\"{F(y0 - y1)}\" fill=\"none\" stroke=\"black\"/>\n");
        foreach (var (v, label) in xa.Ticks())
        {
            double x = xa.Map(v);
            sb.Append($"<line class=\"tick\" x1=\"{F(x)}\" y1=\"{F(y0)}\" x2=\"{F(x)}\" y2=\"{F(y0 + 5)}\" stroke=\"black\"/>");
            sb.Append($"<line x1=\"{F(x)}\" y1=\"{F(y0)}\" x2=\"{F(x)}\" y2=\"{F(y1)}\" stroke=\"#e0e0e0\"/>");
            sb.Append($"<text class=\"ticklabel\" x=\"{F(x)}\" y=\"{F(y0 + 18)}\" text-anchor=\"middle\">{Esc(label)}</text>\n");
        }
        foreach (var (v, label) in ya.Ticks())
        {
            double y = ya.Map(v);
            sb.Append($"<line class=\"tick\" x1=\"{F(x0 - 5)}\" y1=\"{F(y)}\" x2=\"{F(x0)}\" y2=\"{F(y)}\" stroke=\"black\"/>");
            sb.Append($"<line x1=\"{F(x0)}\" y1=\"{F(y)}\" x2=\"{F(x1)}\" y2=\"{F(y)}\" stroke=\"#e0e0e0\"/>");
            sb.Append($"<text class=\"ticklabel\" x=\"{F(x0 - 8)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Esc(label)}</text>\n");
        }
        if (o.Title != null) sb.Append($"<text class=\"title\" x=\"{F((x0 + x1) / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Esc(o.Title)}</text>\n");
        if (o.XLabel != null) sb.Append($"<text class=\"xlabel\" x=\"{F((x0 + x1) / 2)}\" y=\"{F(o.Height - 12)}\" text-anchor=\"middle\">{Esc(o.XLabel)}</text>\n");
        if (o.YLabel != null) sb.Append($"<text class=\"ylabel\" transform=\"translate(16,{F((y0 + y1) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(o.YLabel)}</text>\n");
        return sb;
    }

    private static void Legend(StringBuilder sb, PlotOptions o, IReadOnlyList<(string Name, string Color)> entries)
    {
        double w = LegendWidth(entries);
        bool below = LegendBelowHeight(o, entries) > 0;
        double x = below ? 8 + w : o.Width - Right - 10, y = below ? o.Height + 14 : Top + 16;
        sb.Append($"<g class=\"legend\"><rect x=\"{F(x - w)}\" y=\"{F(y - 12)}\" width=\"{F(w)}\" height=\"{F(entries.Count * 16 + 6)}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n");
        for (int i = 0; i < entries.Count; i++, y += 16)
        {
            sb.Append($"<line x1=\"{F(x - w + 6)}\" y1=\"{F(y - 4)}\" x2=\"{F(x - w + 24)}\" y2=\"{F(y - 4)}\" stroke=\"{entries[i].Color}\" stroke-width=\"2\"/>");
            sb.Append($"<text x=\"{F(x - w + 28)}\" y=\"{F(y)}\">{Esc(entries[i].Name)}</text>\n");
        }
        sb.Append("</g>\n");
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => System.Security.SecurityElement.Escape(s) ?? "";

    /// <summary>Data → pixel mapping with "nice" ticks (1, 2, 5 × 10^k) or decades on log axes.</summary>
    private sealed class Axis
    {
        private readonly double _lo, _hi, _p0, _p1;
        private readonly bool _log;

        public Axis(double lo, double hi, bool log, double p0, double p1, double padFraction = 0.03)
        {
            _log = log; _p0 = p0; _p1 = p1;
            double a = log ? Math.Log10(lo) : lo, b = log ? Math.Log10(hi) : hi;
            if (b <= a) { a -= 0.5; b += 0.5; }
            double pad = (b - a) * padFraction;
            _lo = a - (log ? 0 : pad); _hi = b + (log ? 0 : pad);
            if (log && !(lo > 0)) { _lo = a; }
        }

        public double Map(double v)
        {
            double t = ((_log ? Math.Log10(v) : v) - _lo) / (_hi - _lo);
            return _p0 + t * (_p1 - _p0);
        }

        public IEnumerable<(double Value, string Label)> Ticks()
        {
            if (_log && _hi - _lo >= 1) return NiceTicks.Log(_lo, _hi);
            double lo = _log ? Math.Pow(10, _lo) : _lo, hi = _log ? Math.Pow(10, _hi) : _hi;
            return NiceTicks.Linear(lo, hi).Where(t => !_log || t.Value > 0);
        }
    }
}
