using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// Seeded detector-noise frames (dark read differences): white read noise, 1/f noise along the
/// fast-read direction, per-amplifier offsets, cosmic-ray tracks, hot and dead pixels and faint
/// epoxy-void rings. See <see cref="DetectorNoiseOptions"/> for the readout convention and units.
/// Frame i depends only on (options, size, kind, seed, i); defects depend only on (size, seed).
/// </summary>
public sealed class NoiseSimulator
{
    private const long DefectStream = long.MaxValue - 1;
    private const long OneOverFStreamBase = 1L << 40;

    /// <summary>The settings in use.</summary>
    public DetectorNoiseOptions Options { get; }

    public NoiseSimulator(DetectorNoiseOptions? options = null)
    {
        Options = options ?? new DetectorNoiseOptions();
        Options.Validate();
    }

    /// <summary>Parses a CLI noise name: white | 1f | darks.</summary>
    public static NoiseKind ParseKind(string text) => text.Trim().ToLowerInvariant() switch
    {
        "white" => NoiseKind.White,
        "1f" or "1/f" or "oneoverf" => NoiseKind.OneOverF,
        "darks" or "dark" => NoiseKind.Darks,
        _ => throw new ArgumentException($"unknown noise kind '{text}': use white, 1f or darks"),
    };

    /// <summary>The CLI name of a noise kind.</summary>
    public static string KindName(NoiseKind kind) => kind switch
    {
        NoiseKind.White => "white",
        NoiseKind.OneOverF => "1f",
        _ => "darks",
    };

    /// <summary>(count, height, width) noise frames in DN.</summary>
    public ImageData Simulate(int count, int height, int width, NoiseKind kind, long seed)
    {
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        if (height < 1 || width < 1) throw new InvalidSettingException(height < 1 ? "height" : "width", $"must be positive (got a frame of {height}x{width})");
        var output = new ImageData(count, height, width);
        AddTo(output, kind, seed);
        return output;
    }

    /// <summary>Adds one noise realisation to every (H, W) plane of <paramref name="images"/> in place.
    /// Plane i uses stream i of <paramref name="seed"/>.</summary>
    public void AddTo(ImageData images, NoiseKind kind, long seed)
    {
        int h = images.Height, w = images.Width, hw = h * w, planes = images.PlaneCount;
        var defects = kind == NoiseKind.Darks ? DetectorDefects.Draw(h, w, Options, new SeededRandom(seed, DefectStream)) : null;
        bool oneOverF = kind != NoiseKind.White && Options.OneOverFSigma > 0;
        // 1/f frames come in pairs: the real and imaginary parts of one complex synthesis are
        // independent realisations, which halves the FFT work.
        Parallel.For(0, (planes + 1) / 2, pair =>
        {
            float[]? re = null, im = null;
            if (oneOverF) (re, im) = OneOverFFramePair(h, w, new SeededRandom(seed, OneOverFStreamBase + pair));
            for (int k = 0; k < 2; k++)
            {
                int index = 2 * pair + k;
                if (index >= planes) break;
                var frame = images.Data.AsSpan(index * hw, hw);
                var rng = new SeededRandom(seed, index);
                if (oneOverF)
                {
                    var series = k == 0 ? re! : im!;
                    for (int i = 0; i < hw; i++) frame[i] += series[i];
                }
                rng.AddGaussian(frame, Options.ReadNoise);
                if (defects != null)
                {
                    AddAmplifierOffsets(frame, h, w, rng);
                    AddCosmicRays(frame, h, w, rng);
                    defects.Apply(frame);
                }
            }
        });
    }

    /// <summary>
    /// Two independent 1/f frames (H, W): a Gaussian time series with P(f) ~ f^-alpha over
    /// lines*(fast length + overhead) pixel-times, mapped onto the pixels in read order, scaled to
    /// <see cref="DetectorNoiseOptions.OneOverFSigma"/> in expectation.
    /// </summary>
    public (float[] First, float[] Second) OneOverFFramePair(int height, int width, SeededRandom rng)
    {
        bool fastY = Options.FastAxis == ReadoutAxis.Y;
        int fast = fastY ? height : width, slow = fastY ? width : height;
        long stride = fast + Options.LineOverhead;
        int length = checked((int)(stride * slow));
        var (re, im) = PowerLawSeries(length, Options.OneOverFAlpha, Options.OneOverFSigma, rng);
        var a = new float[height * width];
        var b = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                long t = fastY ? x * stride + y : y * stride + x;
                a[y * width + x] = (float)re[t];
                b[y * width + x] = (float)im[t];
            }
        }
        return (a, b);
    }

    /// <summary>
    /// Two independent Gaussian series of <paramref name="length"/> samples with power spectrum
    /// proportional to f^-alpha (f in cycles per sample, DC removed), expected RMS
    /// <paramref name="sigma"/>. Synthesised on a power-of-two grid of at least 1.5 times the length and
    /// truncated, so the FFT's periodicity does not tie the two ends of the frame together.
    /// </summary>
    public static (double[] First, double[] Second) PowerLawSeries(int length, double alpha, double sigma, SeededRandom rng)
    {
        int m = Fft.NextPowerOfTwo(Math.Max(2, length + length / 2));
        var re = new double[m];
        var im = new double[m];
        double power = 0;
        for (int k = 1; k < m; k++)
        {
            int kk = Math.Min(k, m - k);
            double amp = Math.Pow(kk / (double)m, -alpha / 2);
            re[k] = amp * rng.NextGaussian();
            im[k] = amp * rng.NextGaussian();
            power += amp * amp;
        }
        Fft.InverseUnscaled(re, im);
        // Var(Re x_t) = sum amp^2 (unscaled inverse transform, unit-variance parts).
        double scale = power > 0 ? sigma / Math.Sqrt(power) : 0;
        var a = new double[length];
        var b = new double[length];
        for (int t = 0; t < length; t++)
        {
            a[t] = re[t] * scale;
            b[t] = im[t] * scale;
        }
        return (a, b);
    }

    private void AddAmplifierOffsets(Span<float> frame, int h, int w, SeededRandom rng)
    {
        if (Options.AmplifierOffsetSigma <= 0) return;
        bool fastY = Options.FastAxis == ReadoutAxis.Y;
        int fast = fastY ? h : w, amps = Math.Min(Options.AmplifierCount, fast);
        var offsets = new double[amps];
        for (int a = 0; a < amps; a++) offsets[a] = Options.AmplifierOffsetSigma * rng.NextGaussian();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int f = fastY ? y : x;
                frame[y * w + x] += (float)offsets[(int)((long)f * amps / fast)];
            }
    }

    private void AddCosmicRays(Span<float> frame, int h, int w, SeededRandom rng)
    {
        int hits = rng.NextPoisson(Options.CosmicRayRate * h * w);
        for (int c = 0; c < hits; c++)
        {
            double x0 = rng.NextDouble(-0.5, w - 0.5), y0 = rng.NextDouble(-0.5, h - 0.5);
            double length = Math.Min(30, -Options.CosmicRayMeanLength * Math.Log(1 - rng.NextDouble()));
            var (s, co) = Math.SinCos(rng.NextDouble(0, 2 * Math.PI));
            double charge = rng.NextLogNormal(Options.CosmicRayMedianCharge, 0.8);
            int steps = Math.Max(1, (int)Math.Ceiling(length / 0.25));
            double perStep = charge / steps;
            for (int i = 0; i < steps; i++)
            {
                double t = steps == 1 ? 0 : length * i / (steps - 1);
                Splat(frame, h, w, x0 + t * co, y0 + t * s, perStep);
            }
        }
    }

    /// <summary>Deposits <paramref name="value"/> at a sub-pixel position with bilinear weights.</summary>
    internal static void Splat(Span<float> frame, int h, int w, double x, double y, double value)
    {
        int ix = (int)Math.Floor(x), iy = (int)Math.Floor(y);
        double fx = x - ix, fy = y - iy;
        Add(frame, h, w, ix, iy, value * (1 - fx) * (1 - fy));
        Add(frame, h, w, ix + 1, iy, value * fx * (1 - fy));
        Add(frame, h, w, ix, iy + 1, value * (1 - fx) * fy);
        Add(frame, h, w, ix + 1, iy + 1, value * fx * fy);
    }

    private static void Add(Span<float> frame, int h, int w, int x, int y, double value)
    {
        if (x >= 0 && x < w && y >= 0 && y < h) frame[y * w + x] += (float)value;
    }
}
