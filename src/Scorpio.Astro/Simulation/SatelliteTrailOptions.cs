namespace Scorpio.Astro.Simulation;

/// <summary>
/// Settings of <see cref="SatelliteTrailSimulator"/>. A trail is a straight line at a random
/// angle through a random point, with a Gaussian cross-section of sigma <see cref="Width"/>
/// pixels truncated at <see cref="TruncationSigmas"/>; its peak brightness is drawn in units of
/// the image's robust noise sigma (1.4826 MAD), so the same options suit any image scale; a
/// noiseless image uses 10% of its peak |value| as the unit instead. Glinting satellites (tumbling,
/// reflective) get a periodic brightness modulation along the trail.
/// </summary>
public sealed record SatelliteTrailOptions
{
    /// <summary>Trails per image (rounded; drawn per image).</summary>
    public Distribution Count { get; init; } = Distribution.Constant(1);
    /// <summary>Gaussian sigma of the cross-section, pixels.</summary>
    public Distribution Width { get; init; } = Distribution.Uniform(0.8, 2.5);
    /// <summary>Peak brightness in units of the image noise sigma.</summary>
    public Distribution PeakSnr { get; init; } = Distribution.Uniform(5, 50);
    /// <summary>Absolute peak brightness (image units); overrides <see cref="PeakSnr"/> when set.</summary>
    public Distribution? PeakBrightness { get; init; }
    /// <summary>Cross-section cut, in sigmas; the mask covers exactly this footprint.</summary>
    public double TruncationSigmas { get; init; } = 3;
    /// <summary>Probability that a trail glints (periodic modulation along it).</summary>
    public double GlintProbability { get; init; } = 0.3;
    /// <summary>Glint period along the trail, pixels.</summary>
    public Distribution GlintPeriod { get; init; } = Distribution.Uniform(8, 60);
    /// <summary>Modulation depth in [0, 1] (1 = dark between glints).</summary>
    public Distribution GlintDepth { get; init; } = Distribution.Uniform(0.5, 1.0);
    /// <summary>Probability that a trail is a finite segment rather than crossing the image.</summary>
    public double SegmentProbability { get; init; }

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase, e.g. <c>width</c>).</summary>
    public void Validate()
    {
        Count.Validate("count");
        Width.Validate("width").RequirePositive("width");
        PeakSnr.Validate("peakSnr");
        PeakBrightness?.Validate("peakBrightness");
        GlintPeriod.Validate("glintPeriod");
        GlintDepth.Validate("glintDepth");
        if (!(TruncationSigmas > 0)) throw new InvalidSettingException("truncationSigmas", $"must be > 0 (got {TruncationSigmas})");
        if (!(GlintProbability >= 0 && GlintProbability <= 1)) throw new InvalidSettingException("glintProbability", $"must be in [0, 1] (got {GlintProbability})");
        if (!(SegmentProbability >= 0 && SegmentProbability <= 1)) throw new InvalidSettingException("segmentProbability", $"must be in [0, 1] (got {SegmentProbability})");
    }
}
