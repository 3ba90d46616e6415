using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Per-channel statistics of a data tensor (N, C, H, W) or (N, D) computed on the host in double
/// precision (libtorch's quantile refuses inputs above 2^24 elements; large data sets are large).
/// </summary>
internal static class ChannelStatistics
{
    /// <summary>The values of each channel (axis 1) as one array per channel.</summary>
    public static float[][] Split(Tensor data)
    {
        var a = data.ToFloatArray();
        int n = (int)data.Size(0), c = (int)data.Size(1);
        int plane = (int)(data.Numel / Math.Max(1L, (long)n * c));
        var result = new float[c][];
        for (int k = 0; k < c; k++) result[k] = new float[(long)n * plane];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
                Array.Copy(a, ((long)i * c + k) * plane, result[k], (long)i * plane, plane);
        return result;
    }

    /// <summary>Per image and channel (min, max): arrays [channel][image].</summary>
    public static (double[][] Min, double[][] Max) PerImageRange(Tensor data)
    {
        var a = data.ToFloatArray();
        int n = (int)data.Size(0), c = (int)data.Size(1);
        int plane = (int)(data.Numel / Math.Max(1L, (long)n * c));
        var mins = new double[c][];
        var maxs = new double[c][];
        for (int k = 0; k < c; k++) { mins[k] = new double[n]; maxs[k] = new double[n]; }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++)
            {
                var span = a.AsSpan((int)(((long)i * c + k) * plane), plane);
                float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
                foreach (var v in span) { if (v < lo) lo = v; if (v > hi) hi = v; }
                mins[k][i] = lo; maxs[k][i] = hi;
            }
        return (mins, maxs);
    }

    /// <summary>The p-th percentile (0-100), linear interpolation between order statistics (numpy's default).</summary>
    public static double Percentile(float[] values, double p)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, p);
    }

    public static double Percentile(double[] values, double p)
    {
        var sorted = values.Select(v => (float)v).ToArray();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, p);
    }

    private static double PercentileOfSorted(float[] sorted, double p)
    {
        if (sorted.Length == 0) throw new ArgumentException("percentile of no values");
        double pos = Math.Clamp(p, 0, 100) / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    public static (double Mean, double Std) MeanStd(float[] values)
    {
        double s = 0, s2 = 0;
        foreach (var v in values) s += v;
        double mean = s / values.Length;
        foreach (var v in values) s2 += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(s2 / Math.Max(1, values.Length - 1)));
    }

    public static (double Min, double Max) Range(float[] values)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var v in values) { if (v < lo) lo = v; if (v > hi) hi = v; }
        return (lo, hi);
    }

    /// <summary>A scale that is never zero (constant channels would divide by zero).</summary>
    public static double SafeSpan(double span) => span > 1e-12 ? span : 1.0;

    /// <summary>
    /// Per channel of <paramref name="data"/>, the range [lo, hi] of <paramref name="map"/>(value) (map increasing), with a
    /// safe span: what the min-max normalisations fit, on raw values or after a stretch.
    /// </summary>
    public static (double[] Low, double[] High) MappedRanges(Tensor data, Func<double, double> map)
    {
        var channels = Split(data);
        var lo = new double[channels.Length];
        var hi = new double[channels.Length];
        for (int k = 0; k < channels.Length; k++)
        {
            var (mn, mx) = Range(channels[k]);
            lo[k] = map(mn);
            hi[k] = lo[k] + SafeSpan(map(mx) - lo[k]);
        }
        return (lo, hi);
    }
}
