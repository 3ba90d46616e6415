using Scorpio.Astro;
using Scorpio.Metrics.Features;
using Scorpio.Metrics.Photometry;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Cutting real frames into the prior's square stamps: crops, flux-conserving (area-weighted mean)
/// rebinning, sky level and noise sigma of a frame at the stamp's pixel scale, and pixel-repetition
/// enlargement for figures. Pixel (y, x) is row y, column x of the FITS array (0-based).
/// </summary>
public static class Stamps
{
    /// <summary>The side x side crop centred near (cy, cx), shifted to lie inside the frame.</summary>
    public static ImageData Crop(ImageData frame, int cy, int cx, int side)
    {
        int h = frame.Height, w = frame.Width;
        side = Math.Min(side, Math.Min(h, w));
        int y0 = Math.Clamp(cy - side / 2, 0, h - side), x0 = Math.Clamp(cx - side / 2, 0, w - side);
        return StampMath.Crop(frame, x0, y0, side, side);
    }

    /// <summary>Area-weighted mean resampling of a 2-D image to size x size (surface brightness kept, not total flux).</summary>
    public static ImageData Rebin(ImageData image, int size) =>
        image.Height == size && image.Width == size ? image.Clone()
            : new ImageData(Resample.Area(Plane.Of(image), size, size).Select(v => (float)v).ToArray(), size, size);

    /// <summary>
    /// Sky level and Gaussian-equivalent noise sigma of <paramref name="frame"/> after rebinning by
    /// <paramref name="factor"/> (input px per output px), so correlated noise (drizzled HST) is measured as it is
    /// in the stamp: 1.4826 MAD, 3-sigma clipped three times so that sources do not count as noise.
    /// </summary>
    public static (double Sky, double Sigma) SkyAndSigma(ImageData frame, double factor)
    {
        var binned = factor <= 1 ? frame.Data.Select(v => (double)v).ToArray()
            : Resample.Area(Plane.Of(frame), Math.Max(4, (int)Math.Round(frame.Height / factor)), Math.Max(4, (int)Math.Round(frame.Width / factor)));
        var values = binned.Where(double.IsFinite).ToArray();
        double sky = Descriptive.Median(values), sigma = Descriptive.MadSigma(values);
        for (int it = 0; it < 3; it++)
        {
            double lo = sky - 3 * sigma, hi = sky + 3 * sigma;
            var kept = values.Where(v => v >= lo && v <= hi).ToArray();
            if (kept.Length < 16) break;
            sky = Descriptive.Median(kept);
            sigma = Descriptive.MadSigma(kept);
        }
        return (sky, sigma);
    }

    /// <summary>
    /// Sky and noise sigma at the stamp's scale for a frame the galaxy fills (M51), where the clipped statistics of
    /// <see cref="SkyAndSigma"/> would measure the galaxy: sky = clipped median of the 8 px border of the frame;
    /// native sigma = 1.4826 MAD of horizontal neighbour differences / sqrt 2 (smooth structure cancels), divided by
    /// <paramref name="factor"/> for the rebinned mean of factor^2 independent pixels (an undrizzled CCD frame).
    /// </summary>
    public static (double Sky, double Sigma) SkyAndSigmaFilledFrame(ImageData frame, double factor)
    {
        int h = frame.Height, w = frame.Width;
        var border = new List<double>();
        var diffs = new List<double>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (y < 8 || y >= h - 8 || x < 8 || x >= w - 8) border.Add(frame[y, x]);
                if (x + 1 < w) diffs.Add(frame[y, x + 1] - frame[y, x]);
            }
        double sky = Descriptive.Median(border), s = Descriptive.MadSigma(border);
        for (int it = 0; it < 3; it++)
        {
            var kept = border.Where(v => Math.Abs(v - sky) <= 3 * s).ToList();
            if (kept.Count < 16) break;
            sky = Descriptive.Median(kept);
            s = Descriptive.MadSigma(kept);
        }
        return (sky, Descriptive.MadSigma(diffs) / Math.Sqrt(2) / Math.Max(1, factor));
    }

    /// <summary>Row and column of the brightest pixel of a 5x5 box-smoothed copy within the central part of the frame (fraction <paramref name="central"/> of each side).</summary>
    public static (int Y, int X) BrightestCentre(ImageData frame, double central = 0.5)
    {
        int h = frame.Height, w = frame.Width;
        int y0 = (int)(h * (1 - central) / 2), x0 = (int)(w * (1 - central) / 2);
        double best = double.NegativeInfinity;
        (int, int) at = (h / 2, w / 2);
        for (int y = Math.Max(2, y0); y < Math.Min(h - 2, h - y0); y++)
            for (int x = Math.Max(2, x0); x < Math.Min(w - 2, w - x0); x++)
            {
                double s = BoxSum(frame, y, x, 2);
                if (s > best) { best = s; at = (y, x); }
            }
        return at;
    }

    /// <summary>Sum of the (2r+1)^2 box around (y, x) (clipped at the edges).</summary>
    public static double BoxSum(ImageData frame, int y, int x, int r)
    {
        double s = 0;
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++)
            {
                int yy = y + dy, xx = x + dx;
                if (yy >= 0 && yy < frame.Height && xx >= 0 && xx < frame.Width) s += frame.Data[(long)yy * frame.Width + xx];
            }
        return s;
    }

    /// <summary>A 2-D image enlarged by pixel repetition (figures: 32 px stamps with legible labels).</summary>
    public static ImageData Enlarge(ImageData image, int f)
    {
        int h = image.Height * f, w = image.Width * f;
        var d = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) d[y * w + x] = image.Data[(y / f) * image.Width + x / f];
        return new ImageData(d, h, w);
    }
}
