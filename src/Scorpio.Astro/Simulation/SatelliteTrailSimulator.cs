using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// Adds seeded satellite trails to images (every (H, W) plane independently; plane i uses stream
/// i of the seed) and returns the mask of affected pixels, for inpainting tests and training.
/// </summary>
public sealed class SatelliteTrailSimulator
{
    /// <summary>The settings in use.</summary>
    public SatelliteTrailOptions Options { get; }

    public SatelliteTrailSimulator(SatelliteTrailOptions? options = null)
    {
        Options = options ?? new SatelliteTrailOptions();
        Options.Validate();
    }

    /// <summary>Returns a trailed copy of <paramref name="image"/> and its trail mask.</summary>
    public TrailResult AddTrails(ImageData image, long seed)
    {
        if (image.Rank < 2) throw new InvalidSettingException("image", $"must be an (H, W) image or a stack of them to add trails to, got {image}");
        var output = image.Clone();
        var mask = new ImageData(image.Shape);
        int h = image.Height, w = image.Width, hw = h * w;
        var perPlane = new List<SatelliteTrail>[image.PlaneCount];
        Parallel.For(0, image.PlaneCount, plane =>
        {
            var rng = new SeededRandom(seed, plane);
            var data = output.Data.AsSpan(plane * hw, hw);
            var m = mask.Data.AsSpan(plane * hw, hw);
            double unit = BrightnessUnit(image.Data.AsSpan(plane * hw, hw));
            int count = Math.Max(0, (int)Math.Round(Options.Count.Sample(rng)));
            perPlane[plane] = new List<SatelliteTrail>(count);
            for (int t = 0; t < count; t++)
            {
                var trail = Draw(rng, plane, h, w, unit);
                perPlane[plane].Add(trail);
                Paint(trail, data, m, h, w);
            }
        });
        return new TrailResult(output, mask, perPlane.SelectMany(l => l).ToArray());
    }

    private static double BrightnessUnit(ReadOnlySpan<float> plane)
    {
        double sigma = RobustStatistics.MadSigma(plane);
        if (sigma > 0) return sigma;
        double max = 0;
        foreach (var v in plane) max = Math.Max(max, Math.Abs(v));
        return max > 0 ? 0.1 * max : 1;
    }

    private SatelliteTrail Draw(SeededRandom rng, int plane, int h, int w, double unit)
    {
        double x = rng.NextDouble(0, w - 1), y = rng.NextDouble(0, h - 1);
        double angle = rng.NextDouble(0, 180);
        double sigma = Options.Width.Sample(rng);
        double peak = Options.PeakBrightness != null ? Options.PeakBrightness.Sample(rng) : Options.PeakSnr.Sample(rng) * unit;
        double period = 0, depth = 0;
        if (rng.NextBool(Options.GlintProbability))
        {
            period = Options.GlintPeriod.Sample(rng);
            depth = Math.Clamp(Options.GlintDepth.Sample(rng), 0, 1);
        }
        double start = double.NegativeInfinity, end = double.PositiveInfinity;
        if (rng.NextBool(Options.SegmentProbability))
        {
            double diag = Math.Sqrt((double)h * h + (double)w * w);
            double length = rng.NextDouble(0.2, 0.8) * diag;
            start = -rng.NextDouble(0, length);
            end = start + length;
        }
        return new SatelliteTrail(plane, x, y, angle, sigma, peak, period, depth, start, end);
    }

    private void Paint(SatelliteTrail t, Span<float> data, Span<float> mask, int h, int w)
    {
        var (s, c) = Math.SinCos(t.AngleDegrees * Math.PI / 180);
        double cut = Options.TruncationSigmas * t.Sigma;
        double inv2s2 = 1 / (2 * t.Sigma * t.Sigma);
        double phase = t.X * 0.37 + t.Y * 0.61; // fixed by the trail, so repeated painting agrees
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double dx = x - t.X, dy = y - t.Y;
                double across = -dx * s + dy * c;
                if (Math.Abs(across) > cut) continue;
                double along = dx * c + dy * s;
                if (along < t.Start || along > t.End) continue;
                double value = t.Peak * Math.Exp(-across * across * inv2s2);
                if (t.GlintPeriod > 0)
                {
                    double g = 0.5 * (1 + Math.Cos(2 * Math.PI * along / t.GlintPeriod + phase));
                    value *= 1 - t.GlintDepth + t.GlintDepth * g * g;
                }
                data[y * w + x] += (float)value;
                mask[y * w + x] = 1;
            }
        }
    }
}
