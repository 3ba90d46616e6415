using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Baselines;

/// <summary>
/// The conventional JWST 1/f correction (METHODS.md section 5): subtract the time-series median
/// frame, mask the spectral traces (a given mask, or a threshold on the median frame, dilated),
/// and remove from each frame every column's median of the unmasked residual (one constant per
/// column, because 1/f noise is nearly constant along the fast-read direction). The trace
/// itself is kept: output = frame - column offsets.
/// </summary>
public static class ColumnMedianCorrection
{
    /// <summary>
    /// Corrects <paramref name="frames"/> ((N, H, W) time series, or one (H, W) frame).
    /// With no <paramref name="medianFrame"/>, the per-pixel median over N is used; a single frame
    /// without a median frame is its own mask reference and no frame is subtracted (plain
    /// masked column medians, for frames whose background is flat).
    /// </summary>
    /// <param name="frames">the data, DN</param>
    /// <param name="traceMask">(H, W), non-zero = trace (excluded from the medians); null = threshold</param>
    /// <param name="medianFrame">(H, W) clean reference frame; null = median over frames</param>
    /// <param name="options">threshold, dilation, stripe axis</param>
    public static ImageData Correct(ImageData frames, ImageData? traceMask = null, ImageData? medianFrame = null, ColumnMedianOptions? options = null)
    {
        var o = options ?? new ColumnMedianOptions();
        o.Validate();
        if (frames.Rank < 2) throw new InvalidSettingException("frames", $"must be (H, W) or (N, H, W) frames, got {frames}");
        int h = frames.Height, w = frames.Width, hw = h * w, n = frames.PlaneCount;
        bool subtract = medianFrame != null || n > 1;
        var reference = medianFrame ?? (n > 1 ? MedianFrame(frames) : frames.Plane(0));
        if (reference.Height != h || reference.Width != w || reference.PlaneCount != 1)
            throw new InvalidSettingException("medianFrame", $"{reference} does not match frames of {h}x{w}");
        bool[] mask;
        if (traceMask != null)
        {
            if (traceMask.Height != h || traceMask.Width != w || traceMask.PlaneCount != 1)
                throw new InvalidSettingException("traceMask", $"{traceMask} does not match frames of {h}x{w}");
            mask = traceMask.Data.Select(v => v != 0).ToArray();
        }
        else mask = TraceMask(reference, o.Threshold, o.DilatePixels);

        var output = frames.Clone();
        Parallel.For(0, n, p =>
        {
            var frame = output.Data.AsSpan(p * hw, hw);
            var residual = new float[hw];
            for (int i = 0; i < hw; i++) residual[i] = subtract ? frame[i] - reference.Data[i] : frame[i];
            RemoveLineMedians(frame, residual, mask, h, w, o);
        });
        return output;
    }

    /// <summary>Per-pixel median over the N frames of an (N, H, W) series.</summary>
    public static ImageData MedianFrame(ImageData frames)
    {
        int h = frames.Height, w = frames.Width, hw = h * w, n = frames.PlaneCount;
        var result = new ImageData(h, w);
        Parallel.For(0, h, y =>
        {
            var buf = new float[n];
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                for (int k = 0; k < n; k++) buf[k] = frames.Data[k * hw + i];
                result.Data[i] = (float)RobustStatistics.MedianInPlace(buf.AsSpan());
            }
        });
        return result;
    }

    /// <summary>Trace mask from a clean frame: pixels above <paramref name="threshold"/> (null =
    /// median + 5 robust sigmas), grown by <paramref name="dilate"/> pixels (square neighbourhood).</summary>
    public static bool[] TraceMask(ImageData frame, double? threshold, int dilate)
    {
        int h = frame.Height, w = frame.Width;
        var plane = frame.Data.AsSpan(0, h * w);
        double t = threshold ?? RobustStatistics.Median(plane) + 5 * RobustStatistics.MadSigma(plane);
        var core = new bool[h * w];
        for (int i = 0; i < core.Length; i++) core[i] = plane[i] > t;
        if (dilate == 0) return core;
        var mask = new bool[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (!core[y * w + x]) continue;
                for (int yy = Math.Max(0, y - dilate); yy <= Math.Min(h - 1, y + dilate); yy++)
                    for (int xx = Math.Max(0, x - dilate); xx <= Math.Min(w - 1, x + dilate); xx++)
                        mask[yy * w + xx] = true;
            }
        return mask;
    }

    private static void RemoveLineMedians(Span<float> frame, float[] residual, bool[] mask, int h, int w, ColumnMedianOptions o)
    {
        bool columns = o.StripeAxis == ReadoutAxis.Y;
        int lines = columns ? w : h, length = columns ? h : w;
        var buf = new float[length];
        for (int line = 0; line < lines; line++)
        {
            int count = 0;
            for (int k = 0; k < length; k++)
            {
                int i = columns ? k * w + line : line * w + k;
                if (!mask[i] && float.IsFinite(residual[i])) buf[count++] = residual[i];
            }
            if (count < o.MinimumUnmaskedPixels) continue;
            float median = (float)RobustStatistics.MedianInPlace(buf.AsSpan(0, count));
            for (int k = 0; k < length; k++)
            {
                int i = columns ? k * w + line : line * w + k;
                frame[i] -= median;
            }
        }
    }
}
