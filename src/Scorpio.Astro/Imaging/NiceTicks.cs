using System.Globalization;

namespace Scorpio.Astro.Imaging;

/// <summary>
/// Axis ticks a reader can use: "nice" steps (1, 2, 5 × 10^k) on linear axes, decades (with 2 and 5 on short ranges)
/// on log axes, labelled compactly. Shared by the SVG plots and the colour bars of image panels.
/// </summary>
internal static class NiceTicks
{
    /// <summary>Ticks within [<paramref name="lo"/>, <paramref name="hi"/>] (data units), about <paramref name="target"/> of them on a linear axis.</summary>
    public static IEnumerable<(double Value, string Label)> Linear(double lo, double hi, int target = 5)
    {
        if (!(hi > lo) || !double.IsFinite(lo) || !double.IsFinite(hi)) yield break;
        double raw = (hi - lo) / target, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = (raw / mag) switch { < 1.5 => 1, < 3.5 => 2, < 7.5 => 5, _ => 10 } * mag;
        for (double v = Math.Ceiling(lo / step) * step; v <= hi + step * 1e-9; v += step)
        {
            double t = Math.Abs(v) < step * 1e-9 ? 0 : v;
            yield return (t, Label(t));
        }
    }

    /// <summary>Ticks of a log axis spanning log10 values [<paramref name="log10Lo"/>, <paramref name="log10Hi"/>] (at least one decade).</summary>
    public static IEnumerable<(double Value, string Label)> Log(double log10Lo, double log10Hi)
    {
        int every = Math.Max(1, (int)Math.Ceiling((log10Hi - log10Lo) / 8));
        // Short ranges (under 3 decades) also get 2 and 5 per decade, so there are enough labels to read values.
        double[] mantissas = log10Hi - log10Lo < 3 ? new[] { 1.0, 2.0, 5.0 } : new[] { 1.0 };
        for (int e = (int)Math.Floor(log10Lo); e <= Math.Floor(log10Hi); e += every)
            foreach (var m in mantissas)
            {
                double v = m * Math.Pow(10, e), lv = Math.Log10(v);
                if (lv < log10Lo - 1e-9 || lv > log10Hi + 1e-9) continue;
                yield return (v, e is >= -3 and <= 4 ? v.ToString("0.###", CultureInfo.InvariantCulture) : $"{m}e{e}");
            }
    }

    /// <summary>A tick label: plain decimals in the usual range, scientific notation for very large or small values.</summary>
    public static string Label(double v) =>
        v.ToString(Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0) ? "0.##E0" : "0.####", CultureInfo.InvariantCulture);
}
