using Scorpio.Metrics.Photometry;

namespace Scorpio.Metrics.Features;

/// <summary>Flux-conserving (area-weighted) resampling of an image to another pixel grid.</summary>
public static class Resample
{
    /// <summary>
    /// Resamples <paramref name="plane"/> to <paramref name="height"/> x <paramref name="width"/>: each
    /// output pixel is the area-weighted mean of the input pixels it covers (box-filter downsampling;
    /// upsampling gives piecewise-constant blocks).
    /// </summary>
    public static double[] Area(Plane plane, int height, int width)
    {
        var wy = Weights(plane.Height, height);
        var wx = Weights(plane.Width, width);
        var tmp = new double[plane.Height * width];
        for (int y = 0; y < plane.Height; y++)
            for (int o = 0; o < width; o++)
            {
                double s = 0;
                foreach (var (i, f) in wx[o]) s += f * plane[y, i];
                tmp[y * width + o] = s;
            }
        var outp = new double[height * width];
        for (int o = 0; o < height; o++)
            for (int x = 0; x < width; x++)
            {
                double s = 0;
                foreach (var (i, f) in wy[o]) s += f * tmp[i * width + x];
                outp[o * width + x] = s;
            }
        return outp;
    }

    /// <summary>
    /// Bilinear resampling with half-pixel centres (output pixel o samples input coordinate (o + 0.5) n / m - 0.5, edges
    /// clamped), as PIL and torchvision resize without antialiasing: smooth enlargement of a small stamp.
    /// </summary>
    public static double[] Bilinear(Plane plane, int height, int width)
    {
        var (y0, y1, fy) = Taps(plane.Height, height);
        var (x0, x1, fx) = Taps(plane.Width, width);
        var outp = new double[height * width];
        for (int o = 0; o < height; o++)
            for (int x = 0; x < width; x++)
            {
                double top = plane[y0[o], x0[x]] * (1 - fx[x]) + plane[y0[o], x1[x]] * fx[x];
                double bottom = plane[y1[o], x0[x]] * (1 - fx[x]) + plane[y1[o], x1[x]] * fx[x];
                outp[o * width + x] = top * (1 - fy[o]) + bottom * fy[o];
            }
        return outp;
    }

    private static (int[] Lo, int[] Hi, double[] Frac) Taps(int n, int m)
    {
        var lo = new int[m]; var hi = new int[m]; var f = new double[m];
        for (int o = 0; o < m; o++)
        {
            double c = Math.Clamp((o + 0.5) * n / m - 0.5, 0, n - 1);
            lo[o] = (int)Math.Floor(c); hi[o] = Math.Min(lo[o] + 1, n - 1); f[o] = c - lo[o];
        }
        return (lo, hi, f);
    }

    // For each output cell [o*n/m, (o+1)*n/m) in input coordinates: the input pixels overlapped and
    // the fraction of the output cell each covers (fractions sum to 1).
    private static List<(int, double)>[] Weights(int n, int m)
    {
        var res = new List<(int, double)>[m];
        double scale = (double)n / m;
        for (int o = 0; o < m; o++)
        {
            double a = o * scale, b = (o + 1) * scale;
            var list = new List<(int, double)>();
            for (int i = (int)Math.Floor(a); i < Math.Min(n, (int)Math.Ceiling(b)); i++)
            {
                double overlap = Math.Min(b, i + 1) - Math.Max(a, i);
                if (overlap > 0) list.Add((i, overlap / scale));
            }
            res[o] = list;
        }
        return res;
    }
}
