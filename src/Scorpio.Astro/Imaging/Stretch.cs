using Scorpio.Astro.DataTools;

namespace Scorpio.Astro.Imaging;

/// <summary>
/// Maps pixel values (any physical unit) to display values in [0, 1]: first limits (low, high) are chosen
/// from the data (min/max, percentiles, zscale or ±|x| percentile) or given, then a curve
/// (linear, asinh, log) is applied to t = (x − low) / (high − low) clipped to [0, 1]. NaN stays NaN.
/// </summary>
public sealed class Stretch
{
    /// <summary>The mapping family.</summary>
    public StretchKind Kind { get; }
    /// <summary>Percentile (0-100) used as the low limit, for the percentile-based kinds.</summary>
    public double LowPercentile { get; }
    /// <summary>Percentile (0-100) used as the high limit (for <see cref="StretchKind.Symmetric"/>: of |x|).</summary>
    public double HighPercentile { get; }
    /// <summary>asinh softening β in units of the full range: asinh(t/β)/asinh(1/β); log: the a in log10(a·t+1).</summary>
    public double Softening { get; }
    /// <summary>Fixed limits for <see cref="StretchKind.Linear"/>; null means data min/max.</summary>
    public double? Min { get; }
    /// <inheritdoc cref="Min"/>
    public double? Max { get; }
    /// <summary>zscale contrast.</summary>
    public double Contrast { get; }

    private Stretch(StretchKind kind, double lo = 0, double hi = 100, double soft = 0.1, double? min = null, double? max = null, double contrast = 0.25)
    {
        if (!(lo >= 0 && hi <= 100 && lo < hi)) throw new UserInputException($"stretch percentiles must satisfy 0 <= low < high <= 100 (got {lo}, {hi})");
        if (!(soft > 0)) throw new UserInputException($"stretch softening must be positive (got {soft})");
        if (min is double a && max is double b && !(a < b)) throw new UserInputException($"stretch limits must satisfy min < max (got {a}, {b})");
        Kind = kind; LowPercentile = lo; HighPercentile = hi; Softening = soft; Min = min; Max = max; Contrast = contrast;
    }

    /// <summary>Linear between <paramref name="min"/> and <paramref name="max"/> (data min/max when null).</summary>
    public static Stretch Linear(double? min = null, double? max = null) => new(StretchKind.Linear, min: min, max: max);

    /// <summary>Linear between two percentiles (default 0.5 and 99.5: ignores hot pixels and the faintest noise).</summary>
    public static Stretch Percentile(double low = 0.5, double high = 99.5) => new(StretchKind.Percentile, low, high);

    /// <summary>asinh stretch between two percentiles; smaller <paramref name="softening"/> brings out fainter structure.</summary>
    public static Stretch Asinh(double softening = 0.1, double low = 0.5, double high = 99.9) => new(StretchKind.Asinh, low, high, softening);

    /// <summary>Logarithmic stretch log10(a·t + 1)/log10(a + 1) between two percentiles.</summary>
    public static Stretch Log(double a = 1000, double low = 0.5, double high = 99.9) => new(StretchKind.Log, low, high, a);

    /// <summary>IRAF zscale limits, linear in between: the standard view of a raw frame's sky noise.</summary>
    public static Stretch ZScale(double contrast = 0.25) => new(StretchKind.ZScale, contrast: contrast);

    /// <summary>Limits ±(percentile of |x|): 0 maps to 0.5. Use with <see cref="ColorMap.Diverging"/> for residuals.</summary>
    public static Stretch Symmetric(double percentile = 99) => new(StretchKind.Symmetric, 0, percentile);

    /// <summary>The (low, high) limits this stretch picks for <paramref name="data"/>.</summary>
    public (double Low, double High) Limits(ReadOnlySpan<float> data)
    {
        (double lo, double hi) = Kind switch
        {
            StretchKind.Linear => LinearLimits(data),
            StretchKind.ZScale => Imaging.ZScale.Limits(data, Contrast),
            StretchKind.Symmetric => SymmetricLimits(data),
            _ => PercentileLimits(data),
        };
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) return (0, 1);
        if (hi <= lo) hi = lo + Math.Max(1e-12, Math.Abs(lo) * 1e-6); // constant image: show it mid-scale-free, not NaN
        return (lo, hi);
    }

    /// <summary>Display value in [0, 1] of <paramref name="v"/> given limits; NaN for NaN.</summary>
    public float Map(float v, double low, double high)
    {
        if (float.IsNaN(v)) return float.NaN;
        double t = Math.Clamp((v - low) / (high - low), 0, 1);
        return (float)(Kind switch
        {
            StretchKind.Asinh => Math.Asinh(t / Softening) / Math.Asinh(1 / Softening),
            StretchKind.Log => Math.Log10(Softening * t + 1) / Math.Log10(Softening + 1),
            _ => t,
        });
    }

    /// <summary>Maps every value of <paramref name="data"/> to [0, 1] using limits from the data itself.</summary>
    public float[] Apply(ReadOnlySpan<float> data)
    {
        var (lo, hi) = Limits(data);
        return Apply(data, lo, hi);
    }

    /// <summary>Maps every value with the given limits (e.g. shared by several panels).</summary>
    public float[] Apply(ReadOnlySpan<float> data, double low, double high)
    {
        var o = new float[data.Length];
        for (int i = 0; i < o.Length; i++) o[i] = Map(data[i], low, high);
        return o;
    }

    /// <summary>A short name for colour-bar captions and viewers: linear, asinh, log, zscale or symmetric (percentile limits are linear).</summary>
    public string Name => Kind switch
    {
        StretchKind.Percentile => "linear",
        StretchKind.Symmetric => "symmetric linear",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public override string ToString() => Kind switch
    {
        StretchKind.Linear => $"linear({Min?.ToString() ?? "min"}, {Max?.ToString() ?? "max"})",
        StretchKind.ZScale => $"zscale(contrast={Contrast})",
        StretchKind.Symmetric => $"symmetric(p{HighPercentile} of |x|)",
        StretchKind.Asinh => $"asinh(softening={Softening}, p{LowPercentile}-p{HighPercentile})",
        StretchKind.Log => $"log(a={Softening}, p{LowPercentile}-p{HighPercentile})",
        _ => $"percentile(p{LowPercentile}-p{HighPercentile})",
    };

    private (double, double) LinearLimits(ReadOnlySpan<float> data)
    {
        if (Min is double a && Max is double b) return (a, b);
        var s = ImageStats.Summary(data);
        return (Min ?? s.Min, Max ?? s.Max);
    }

    private (double, double) PercentileLimits(ReadOnlySpan<float> data)
    {
        var s = ImageStats.SortedFinite(data);
        return (ImageStats.PercentileSorted(s, LowPercentile), ImageStats.PercentileSorted(s, HighPercentile));
    }

    private (double, double) SymmetricLimits(ReadOnlySpan<float> data)
    {
        var abs = new float[data.Length];
        for (int i = 0; i < abs.Length; i++) abs[i] = Math.Abs(data[i]);
        double m = ImageStats.Percentile(abs, HighPercentile);
        if (!(m > 0)) m = 1;
        return (-m, m);
    }
}
