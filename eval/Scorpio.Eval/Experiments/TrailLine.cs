using System.Globalization;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// The real satellite trail of the SAAO frame as a line y = a + b x (pixels, 0-based row y, column x), fitted
/// to the brightest row of every column inside the catalogued segments' bounding boxes (the segments file lists
/// xmin ymin xmax ymax and a slope per segment), with its half-width from the median cross-profile (last offset above 1 sigma, plus 1 px). Also picks
/// stars far from the trail (for injected-trail tests) and cuts stamps across the trail (for the real one).
/// </summary>
public sealed class TrailLine
{
    /// <summary>Intercept a and slope b of y = a + b x.</summary>
    public double A { get; private init; }
    public double B { get; private init; }
    /// <summary>Masked half-width, px: rows within this distance of the line count as trail.</summary>
    public int HalfWidth { get; private init; }
    public int XMin { get; private init; }
    public int XMax { get; private init; }
    private double[] CatalogueSlopes { get; init; } = Array.Empty<double>();
    private double Sky { get; init; }
    private double Sigma { get; init; }

    /// <summary>Fits the trail of <paramref name="frame"/> near the segments listed in <paramref name="segmentsPath"/>.</summary>
    public static TrailLine Fit(ImageData frame, string segmentsPath)
    {
        var segs = File.ReadLines(segmentsPath).Where(l => !l.TrimStart().StartsWith('#') && l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int x0 = (int)segs.Min(s => s[1]), x1 = (int)segs.Max(s => s[3]);
        int y0 = Math.Max(1, (int)segs.Min(s => s[2]) - 20), y1 = Math.Min(frame.Height - 2, (int)segs.Max(s => s[4]) + 20);
        var (sky, sigma) = Stamps.SkyAndSigma(frame, 1);
        var pts = new List<(double X, double Y)>();
        for (int x = x0; x <= x1; x++)
        {
            int by = y0; double bv = double.NegativeInfinity;
            for (int y = y0; y <= y1; y++)
            {
                double v = frame[y - 1, x] + frame[y, x] + frame[y + 1, x];
                if (v > bv) { bv = v; by = y; }
            }
            pts.Add((x, by));
        }
        double a = 0, b = 0;
        var use = pts;
        for (int it = 0; it < 4; it++)
        {
            (a, b) = LeastSquares(use);
            var (aa, bb) = (a, b);
            use = pts.Where(p => Math.Abs(p.Y - (aa + bb * p.X)) <= 3).ToList();
        }
        int half = 1;
        for (int d = 1; d <= 15; d++)
        {
            var prof = new List<double>();
            for (int x = x0; x <= x1; x++)
                foreach (int sgn in new[] { -1, 1 })
                {
                    int y = (int)Math.Round(a + b * x) + sgn * d;
                    if (y >= 0 && y < frame.Height) prof.Add(frame[y, x] - sky);
                }
            if (Descriptive.Median(prof) > sigma) half = d;
        }
        return new TrailLine { A = a, B = b, HalfWidth = half + 1, XMin = x0, XMax = x1, CatalogueSlopes = segs.Select(s => s[5]).ToArray(), Sky = sky, Sigma = sigma };
    }

    /// <summary>Distance of pixel (y, x) from the trail segment's line (infinite beyond its ends).</summary>
    public double Distance(int y, int x) =>
        x < XMin - 40 || x > XMax + 40 ? double.PositiveInfinity : Math.Abs(y - (A + B * x)) / Math.Sqrt(1 + B * B);

    /// <summary>
    /// The <paramref name="count"/> brightest unsaturated stars (5x5 box maxima, peak between 20 sigma and 70% of the frame
    /// maximum) at least 48 px from the trail and 16 px from the edges, 40 px apart.
    /// </summary>
    public IReadOnlyList<(int Y, int X)> Stars(ImageData frame, int count)
    {
        double top = frame.Data.Max() - Sky;
        var cands = new List<(double V, int Y, int X)>();
        for (int y = 16; y < frame.Height - 16; y++)
            for (int x = 16; x < frame.Width - 16; x++)
            {
                double v = frame[y, x] - Sky;
                if (v < 20 * Sigma || v > 0.7 * top || Distance(y, x) < 48) continue;
                bool peak = true;
                for (int dy = -2; dy <= 2 && peak; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                        if ((dy != 0 || dx != 0) && frame[y + dy, x + dx] > frame[y, x]) { peak = false; break; }
                if (peak) cands.Add((v, y, x));
            }
        var chosen = new List<(int, int)>();
        foreach (var c in cands.OrderByDescending(c => c.V))
        {
            if (chosen.Any(p => Math.Abs(p.Item1 - c.Y) < 40 && Math.Abs(p.Item2 - c.X) < 40)) continue;
            chosen.Add((c.Y, c.X));
            if (chosen.Count == count) break;
        }
        return chosen;
    }

    /// <summary>A size x size native stamp centred on the trail at column <paramref name="x"/> and its trail mask (1 = trail).</summary>
    public (ImageData Stamp, ImageData Mask, JsonObject Cut) RealTrailStamp(ImageData frame, int x, int size)
    {
        int cy = (int)Math.Round(A + B * x);
        int y0 = Math.Clamp(cy - size / 2, 0, frame.Height - size), x0 = Math.Clamp(x - size / 2, 0, frame.Width - size);
        var stamp = Stamps.Crop(frame, cy, x, size);
        var mask = new ImageData(size, size);
        for (int y = 0; y < size; y++)
            for (int xx = 0; xx < size; xx++)
                if (Math.Abs(y0 + y - (A + B * (x0 + xx))) <= HalfWidth) mask[y, xx] = 1;
        return (stamp, mask, new JsonObject { ["y0"] = y0, ["x0"] = x0, ["side_px"] = size });
    }

    /// <summary>The fit as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["intercept"] = A, ["slope"] = B, ["half_width_px"] = HalfWidth, ["x_range"] = new JsonArray(XMin, XMax),
        ["catalogue_slopes"] = string.Join(", ", CatalogueSlopes.Select(s => s.ToString("G4", CultureInfo.InvariantCulture))),
        ["frame_sky"] = Sky, ["frame_sigma"] = Sigma,
    };

    private static (double A, double B) LeastSquares(IReadOnlyList<(double X, double Y)> p)
    {
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        double sxy = p.Sum(q => (q.X - mx) * (q.Y - my)), sxx = p.Sum(q => (q.X - mx) * (q.X - mx));
        double b = sxx > 0 ? sxy / sxx : 0;
        return (my - b * mx, b);
    }
}
