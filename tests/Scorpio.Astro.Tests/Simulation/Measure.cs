using Scorpio.Astro;

namespace Scorpio.Astro.Tests;

/// <summary>Measurements used by several tests: curve-of-growth half-light radius, KS distance.</summary>
internal static class Measure
{
    /// <summary>Half-light radius by the curve of growth in circular apertures around (cx, cy):
    /// each pixel is split into 4x4 sub-pixels sharing its flux, their flux is binned in radius
    /// (0.02 px bins), and the radius where the cumulative flux reaches half the total is
    /// interpolated linearly inside its bin.</summary>
    public static double HalfLightRadius(ReadOnlySpan<float> plane, int h, int w, double cx, double cy)
    {
        const int k = 4;
        const double bin = 0.02;
        double maxR = Math.Sqrt((double)h * h + (double)w * w) + 2;
        var hist = new double[(int)(maxR / bin) + 1];
        double total = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double f = plane[y * w + x] / (double)(k * k);
                total += plane[y * w + x];
                for (int sy = 0; sy < k; sy++)
                    for (int sx = 0; sx < k; sx++)
                    {
                        double dx = x - 0.5 + (sx + 0.5) / k - cx, dy = y - 0.5 + (sy + 0.5) / k - cy;
                        hist[(int)(Math.Sqrt(dx * dx + dy * dy) / bin)] += f;
                    }
            }
        double acc = 0, half = total / 2;
        for (int i = 0; i < hist.Length; i++)
        {
            if (acc + hist[i] >= half) return bin * (i + (half - acc) / Math.Max(hist[i], 1e-300));
            acc += hist[i];
        }
        return double.NaN;
    }

    /// <summary>Kolmogorov-Smirnov distance between a sample and a CDF.</summary>
    public static double KsDistance(IEnumerable<double> sample, Func<double, double> cdf)
    {
        var s = sample.OrderBy(v => v).ToArray();
        double d = 0;
        for (int i = 0; i < s.Length; i++)
        {
            double f = cdf(s[i]);
            d = Math.Max(d, Math.Max(Math.Abs((i + 1.0) / s.Length - f), Math.Abs(i / (double)s.Length - f)));
        }
        return d;
    }

    public static double Sum(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (var x in v) s += x;
        return s;
    }

    public static double Rms(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - (double)b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s / a.Length);
    }
}
