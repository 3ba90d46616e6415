using System.Globalization;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Small image operations shared by the inverse-problem experiments (deconvolution, hallucination,
/// calibration): flux-conserving resampling between pixel grids, PSF regridding, the y = pool(psf * x)
/// forward model, errors and robust background statistics. Images are (H, W) float planes in any flux unit.
/// </summary>
internal static class StampMath
{
    /// <summary>Bilinear interpolation of an (H, W) plane at 0-based (x, y); 0 outside the image.</summary>
    public static double Bilinear(ImageData plane, double x, double y)
    {
        int w = plane.Width, h = plane.Height;
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0, sum = 0;
        for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++)
            {
                int xx = x0 + dx, yy = y0 + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                sum += (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * plane.Data[yy * w + xx];
            }
        return sum;
    }

    /// <summary>
    /// Resamples <paramref name="source"/> (flux per source pixel) onto a new <paramref name="height"/> x <paramref name="width"/>
    /// grid, conserving flux: every target pixel averages the bilinearly interpolated surface brightness at sub x sub points
    /// inside it (<paramref name="toSource"/> maps 0-based target coordinates to source coordinates) and multiplies by the
    /// pixel-area ratio target/source. Sub-pixel sampling finer than both grids keeps the flux error at the percent level.
    /// </summary>
    public static ImageData ResampleFlux(ImageData source, Func<double, double, (double X, double Y)> toSource, int height, int width,
        double areaRatio, int sub = 4)
    {
        var output = new ImageData(height, width);
        Parallel.For(0, height, i =>
        {
            for (int j = 0; j < width; j++)
            {
                double acc = 0;
                for (int a = 0; a < sub; a++)
                    for (int b = 0; b < sub; b++)
                    {
                        var (sx, sy) = toSource(j - 0.5 + (b + 0.5) / sub, i - 0.5 + (a + 0.5) / sub);
                        acc += Bilinear(source, sx, sy);
                    }
                output.Data[i * width + j] = (float)(acc / (sub * sub) * areaRatio);
            }
        });
        return output;
    }

    /// <summary>
    /// A centred PSF regridded to pixels <paramref name="finer"/> times smaller (finer &gt; 1) or larger (finer &lt; 1), as an odd
    /// <paramref name="size"/> x <paramref name="size"/> stamp centred at (size/2, size/2), normalised to sum 1.
    /// </summary>
    public static ImageData RegridPsf(ImageData psf, double finer, int size)
    {
        if (size % 2 == 0) throw new ArgumentException("PSF stamp size must be odd");
        double cx = psf.Width / 2, cy = psf.Height / 2;   // the PSF files' centre pixel (H/2, W/2), as `scorpio posterior` expects
        int c = size / 2;
        var output = ResampleFlux(psf, (x, y) => (cx + (x - c) / finer, cy + (y - c) / finer), size, size, 1.0 / (finer * finer));
        return Normalised(output);
    }

    /// <summary>A copy scaled to sum 1.</summary>
    public static ImageData Normalised(ImageData image)
    {
        double s = image.Data.Sum(v => (double)v);
        return Scaled(image, 1 / s);
    }

    /// <summary>A copy multiplied by <paramref name="factor"/>.</summary>
    public static ImageData Scaled(ImageData image, double factor) => new(image.Data.Select(v => (float)(v * factor)).ToArray(), image.Shape);

    /// <summary>A copy with <paramref name="value"/> subtracted from every pixel.</summary>
    public static ImageData Minus(ImageData image, double value) => new(image.Data.Select(v => (float)(v - value)).ToArray(), image.Shape);

    /// <summary>The noiseless forward model pool_K(psf * x) of an (H, W) image (FFT convolution, zero boundary).</summary>
    public static ImageData Forward(ImageData x, ImageData psf, int pool) => Observation.Observe(x, psf, pool, 0, NoiseKind.White, 0);

    /// <summary>psf * x with the same size (zero boundary).</summary>
    public static ImageData Convolve(ImageData x, ImageData psf) => new FftConvolver(psf, x.Height, x.Width).ConvolvePlanes(x);

    /// <summary>Each pixel copied into a K x K block: the pooling's adjoint up to 1/K^2, so pool(replicate(y)) = y.</summary>
    public static ImageData Replicate(ImageData y, int k) => Stamps.Enlarge(y, k);

    /// <summary>Enlarges 32x32 stamps (x6, whole pixels) so figure tiles and their labels stay readable.</summary>
    public static IReadOnlyList<ImageData> ForDisplay(IEnumerable<ImageData> images) =>
        images.Select(im => Replicate(im.Reshape(im.Height, im.Width), 6)).ToList();

    /// <summary>A <paramref name="h"/> x <paramref name="w"/> window of an (H, W) plane starting at (x0, y0).</summary>
    public static ImageData Crop(ImageData plane, int x0, int y0, int w, int h)
    {
        if (x0 < 0 || y0 < 0 || x0 + w > plane.Width || y0 + h > plane.Height)
            throw new ArgumentException($"crop {w}x{h} at ({x0}, {y0}) leaves the {plane.Width}x{plane.Height} image");
        var output = new ImageData(h, w);
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) output.Data[i * w + j] = plane.Data[(long)(y0 + i) * plane.Width + x0 + j];
        return output;
    }

    /// <summary>Root-mean-square difference of two images of the same size.</summary>
    public static double Rms(ImageData a, ImageData b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"{a} and {b} differ in size");
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = a.Data[i] - b.Data[i]; s += d * d; }
        return Math.Sqrt(s / a.Length);
    }

    /// <summary>Root-mean-square of an image.</summary>
    public static double Rms(ImageData a) => Math.Sqrt(a.Data.Sum(v => (double)v * v) / a.Length);

    /// <summary>
    /// Background level and noise of an image holding a few sources: median and 1.4826 MAD, iterated three times with
    /// pixels beyond 3 sigma of the median left out (a sigma clip), so galaxies do not inflate the noise.
    /// </summary>
    public static (double Median, double Sigma) ClippedStats(ReadOnlySpan<float> values)
    {
        var kept = values.ToArray();
        double med = RobustStatistics.Median(kept), sig = RobustStatistics.MadSigma(kept);
        for (int it = 0; it < 3; it++)
        {
            double m = med, s = sig;
            kept = values.ToArray().Where(v => Math.Abs(v - m) < 3 * s).ToArray();
            med = RobustStatistics.Median(kept);
            sig = RobustStatistics.MadSigma(kept);
        }
        return (med, sig);
    }

    /// <summary>Writes an (H, W) or stacked image as float32 FITS.</summary>
    public static void WriteFits(string path, ImageData image) => FitsFile.Write(path, image);

    /// <summary>A posterior output image (median.fits, std.fits, ...) of a one-band prior as an (H, W) plane.</summary>
    public static ImageData ReadPlane(string dir, string file)
    {
        var im = FitsFile.Read(Path.Combine(dir, file));
        return im.Reshape(im.Height, im.Width);
    }

    /// <summary>A JSON array of numbers (NaN/infinity written as null).</summary>
    public static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).Select(v => (JsonNode?)v).ToArray());

    /// <summary>A number from a result object; NaN when missing or null.</summary>
    public static double D(JsonNode? node, string key) => JsonPath.Number(node?[key]);

    /// <summary>A number for a Markdown table: 3 significant digits, "n/a" for NaN.</summary>
    public static string F(double v) => double.IsFinite(v) ? (Math.Abs(v) >= 1000 || (Math.Abs(v) < 0.01 && v != 0) ? v.ToString("0.00e+0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture)) : "n/a";
}
