using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Baselines;

/// <summary>Settings of <see cref="ColumnMedianCorrection"/>.</summary>
public sealed record ColumnMedianOptions
{
    /// <summary>Trace-mask threshold on the median frame, in its units; null = background median
    /// + 5 robust sigmas of the median frame. Ignored when a mask is given.</summary>
    public double? Threshold { get; init; }

    /// <summary>Pixels by which the thresholded trace mask is grown, to cover the faint profile wings.</summary>
    public int DilatePixels { get; init; } = 2;

    /// <summary>Axis of the stripes: Y (default) removes one median per column (NIRISS SOSS);
    /// X removes one per row.</summary>
    public ReadoutAxis StripeAxis { get; init; } = ReadoutAxis.Y;

    /// <summary>Columns with fewer unmasked pixels than this are left uncorrected.</summary>
    public int MinimumUnmaskedPixels { get; init; } = 4;

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase).</summary>
    public void Validate()
    {
        if (DilatePixels < 0) throw new InvalidSettingException("dilatePixels", $"must be >= 0 (got {DilatePixels})");
        if (MinimumUnmaskedPixels < 1) throw new InvalidSettingException("minimumUnmaskedPixels", $"must be at least 1 (got {MinimumUnmaskedPixels})");
        if (Threshold is { } t && double.IsNaN(t)) throw new InvalidSettingException("threshold", "is NaN: give a number in the median frame's units");
    }
}
