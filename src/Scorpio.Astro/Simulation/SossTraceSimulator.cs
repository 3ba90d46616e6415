using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// Seeded simulator of JWST NIRISS SOSS-like spectral traces: orders 1-3 along curved traces
/// with a defocused ("horned") spatial profile, carrying a blackbody-with-absorption-lines
/// stellar spectrum times each order's throughput; each frame gets its own horizontal/vertical
/// shift, rotation, brightness and temperature, as the SLIC paper's 19,035 training traces do.
/// Frame i depends only on (options, seed, i). Returns the order-1 centroid path and true
/// order-1 spectrum for box-extraction checks.
/// </summary>
public sealed class SossTraceSimulator
{
    private readonly double _profileNorm, _halfWidth, _edge, _hornWidth, _reach;

    /// <summary>The settings in use.</summary>
    public SossTraceOptions Options { get; }

    public SossTraceSimulator(SossTraceOptions? options = null)
    {
        Options = options ?? new SossTraceOptions();
        Options.Validate();
        double scale = Options.Height / 256.0;
        _halfWidth = Options.EffectiveHalfWidth;
        _edge = Math.Max(0.25, 0.6 * scale);
        _hornWidth = Math.Max(0.4, 1.2 * scale);
        _reach = _halfWidth + 10 * _edge + 3 * _hornWidth;
        // Integral of the profile, so each column carries exactly its spectral flux.
        double sum = 0, step = 0.01;
        for (double d = -_reach; d <= _reach; d += step) sum += RawProfile(d) * step;
        _profileNorm = 1 / sum;
    }

    /// <summary>Centroid row of <paramref name="order"/> (1-3) at column <paramref name="x"/> for an
    /// unshifted, unrotated frame of the configured size.</summary>
    public double ReferenceCentroid(int order, double x)
    {
        if (order < 1 || order > 3) throw new ArgumentOutOfRangeException(nameof(order), $"SOSS order must be 1, 2 or 3 (got {order})");
        return SossOrder.All[order - 1].CentroidY(x * 2048.0 / Options.Width) * Options.Height / 256.0;
    }

    /// <summary>Simulates <paramref name="count"/> noiseless frames.</summary>
    public SossTraceResult Simulate(int count, long seed)
    {
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        int h = Options.Height, w = Options.Width, hw = h * w;
        var images = new ImageData(count, h, w);
        var centroids = new ImageData(count, w);
        var spectra = new ImageData(count, w);
        var parameters = new SossTraceParameters[count];
        Parallel.For(0, count, i =>
        {
            var rng = new SeededRandom(seed, i);
            var p = new SossTraceParameters(i, Options.ShiftX.Sample(rng), Options.ShiftY.Sample(rng), Options.RotationDegrees.Sample(rng),
                Options.Brightness.Sample(rng), Options.Temperature.Sample(rng));
            parameters[i] = p;
            Render(p, images.Data.AsSpan(i * hw, hw), centroids.Data.AsSpan(i * w, w), spectra.Data.AsSpan(i * w, w));
        });
        return new SossTraceResult(images, centroids, spectra, parameters);
    }

    private double RawProfile(double d)
    {
        double a = Math.Abs(d);
        double top = 1 / (1 + Math.Exp((a - _halfWidth) / _edge));
        double hornCentre = _halfWidth - 1.5 * _hornWidth;
        double z = (a - hornCentre) / _hornWidth;
        return top * (1 + Options.HornStrength * Math.Exp(-0.5 * z * z));
    }

    private void Render(SossTraceParameters p, Span<float> image, Span<float> centroid1, Span<float> spectrum1)
    {
        int h = Options.Height, w = Options.Width;
        double sx = 2048.0 / w, sy = h / 256.0;
        double cx = w / 2.0, cy = h / 2.0;
        var (sinT, cosT) = Math.SinCos(p.RotationDegrees * Math.PI / 180);
        double[] orderScale = [1, Options.Order2Scale, Options.Order3Scale];

        // Model (unshifted, unrotated) coordinates of image pixel (x, y).
        (double Xm, double Ym) ToModel(double x, double y)
        {
            double a = x - cx - p.ShiftX, b = y - cy - p.ShiftY;
            return (cx + cosT * a + sinT * b, cy - sinT * a + cosT * b);
        }

        // Brightness normalisation: the brightest order-1 pixel of this star equals PeakBrightness * Brightness.
        var order1 = SossOrder.All[0];
        double maxColumn = 0;
        for (int x = 0; x < w; x++)
        {
            double xr = x * sx;
            maxColumn = Math.Max(maxColumn, order1.Throughput(xr) * StellarSpectrum.PhotonFlux(order1.Wavelength(xr), p.Temperature, Options.LineDepthScale));
        }
        double peakProfile = 0;
        for (double d = -_reach; d <= _reach; d += 0.05) peakProfile = Math.Max(peakProfile, RawProfile(d));
        double k = maxColumn > 0 ? Options.PeakBrightness * p.Brightness / (maxColumn * peakProfile * _profileNorm) : 0;

        if (Options.Background != 0) image.Fill((float)Options.Background);
        centroid1.Fill(float.NaN);
        spectrum1.Clear();
        for (int o = 0; o < 3; o++)
        {
            var order = SossOrder.All[o];
            if (orderScale[o] <= 0) continue;
            for (int x = 0; x < w; x++)
            {
                // Image row of the centroid in this column: fixed-point iteration on the
                // (nearly identity) rotation.
                double yc = order.CentroidY(x * sx) * sy;
                for (int it = 0; it < 6; it++)
                {
                    var (xm0, ym0) = ToModel(x, yc);
                    yc -= (ym0 - order.CentroidY(xm0 * sx) * sy) / cosT;
                }
                var (xmc, _) = ToModel(x, yc);
                double flux = k * orderScale[o] * order.Throughput(xmc * sx) * StellarSpectrum.PhotonFlux(order.Wavelength(xmc * sx), p.Temperature, Options.LineDepthScale);
                if (o == 0)
                {
                    if (yc > -_halfWidth && yc < h - 1 + _halfWidth) centroid1[x] = (float)yc;
                    spectrum1[x] = (float)flux;
                }
                if (!(flux > 0)) continue;
                int y0 = Math.Max(0, (int)Math.Floor(yc - _reach)), y1 = Math.Min(h - 1, (int)Math.Ceiling(yc + _reach));
                for (int y = y0; y <= y1; y++)
                {
                    var (xm, ym) = ToModel(x, y);
                    double d = ym - order.CentroidY(xm * sx) * sy;
                    image[y * w + x] += (float)(flux * _profileNorm * RawProfile(d));
                }
            }
        }
    }
}
