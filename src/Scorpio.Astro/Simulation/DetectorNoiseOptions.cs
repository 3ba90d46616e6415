namespace Scorpio.Astro.Simulation;

/// <summary>
/// Settings of <see cref="NoiseSimulator"/>, in DN per pixel of a read-difference (dark) image,
/// scaled like JWST NIRISS SUBSTRIP256 darks. The readout model: pixels are read one after the
/// other along the fast axis (<see cref="FastAxis"/>), line after line along the slow axis, with
/// <see cref="LineOverhead"/> idle pixel-times between lines, so the frame is one time series; the
/// 1/f component is a Gaussian process on that series with power spectrum P(f) ~ f^-alpha.
/// Defects (hot, dead pixels, epoxy voids) are fixed per detector, i.e. per seed, and shared by
/// every frame of one call, as on a real detector.
/// </summary>
public sealed record DetectorNoiseOptions
{
    /// <summary>White read noise sigma, DN.</summary>
    public double ReadNoise { get; init; } = 10;
    /// <summary>RMS of the 1/f component per pixel, DN.</summary>
    public double OneOverFSigma { get; init; } = 8;
    /// <summary>Spectral index alpha of P(f) ~ f^-alpha (1 = pink noise).</summary>
    public double OneOverFAlpha { get; init; } = 1.0;
    /// <summary>Fast-read axis; Y (columns) by default, matching SOSS frames and the column-median baseline.</summary>
    public ReadoutAxis FastAxis { get; init; } = ReadoutAxis.Y;
    /// <summary>Idle pixel-times at the end of each line (JWST H2RG: 12).</summary>
    public int LineOverhead { get; init; } = 12;
    /// <summary>Number of amplifiers (outputs), each covering an equal segment of the fast axis.</summary>
    public int AmplifierCount { get; init; } = 4;
    /// <summary>Sigma of the per-frame constant offset of each amplifier, DN.</summary>
    public double AmplifierOffsetSigma { get; init; } = 4;
    /// <summary>Cosmic-ray hits per pixel per frame (JWST at L2: ~1.5e-4 in a ~10 s read pair).</summary>
    public double CosmicRayRate { get; init; } = 1.5e-4;
    /// <summary>Mean projected track length, pixels (exponential, capped at 30).</summary>
    public double CosmicRayMeanLength { get; init; } = 2.5;
    /// <summary>Median total charge of one hit, DN (log-normal, 0.8 natural-log scatter).</summary>
    public double CosmicRayMedianCharge { get; init; } = 600;
    /// <summary>Fraction of hot pixels.</summary>
    public double HotPixelFraction { get; init; } = 1e-3;
    /// <summary>Median excess of a hot pixel, DN (log-normal, scatter 1.0).</summary>
    public double HotPixelMedianLevel { get; init; } = 150;
    /// <summary>Fraction of dead pixels (read 0).</summary>
    public double DeadPixelFraction { get; init; } = 3e-4;
    /// <summary>Epoxy voids per pixel (a few per 256x2048 frame).</summary>
    public double EpoxyVoidDensity { get; init; } = 3e-5;
    /// <summary>Peak amplitude of an epoxy-void ring, DN (sign random).</summary>
    public double EpoxyVoidAmplitude { get; init; } = 5;

    /// <summary>These options with every amplitude scaled so the read noise equals
    /// <paramref name="readNoise"/> (keeps the relative strength of the effects).</summary>
    public DetectorNoiseOptions WithReadNoise(double readNoise)
    {
        if (!(readNoise >= 0)) throw new InvalidSettingException("readNoise", $"must be >= 0 (got {readNoise})");
        double f = ReadNoise > 0 ? readNoise / ReadNoise : 0;
        return this with
        {
            ReadNoise = readNoise, OneOverFSigma = OneOverFSigma * f, AmplifierOffsetSigma = AmplifierOffsetSigma * f,
            CosmicRayMedianCharge = CosmicRayMedianCharge * f, HotPixelMedianLevel = HotPixelMedianLevel * f, EpoxyVoidAmplitude = EpoxyVoidAmplitude * f,
        };
    }

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase, e.g. <c>oneOverFAlpha</c>).</summary>
    public void Validate()
    {
        void NonNegative(double v, string name)
        {
            if (!(v >= 0) || double.IsInfinity(v)) throw new InvalidSettingException(char.ToLowerInvariant(name[0]) + name[1..], $"must be a finite number >= 0 (got {v})");
        }
        NonNegative(ReadNoise, nameof(ReadNoise));
        NonNegative(OneOverFSigma, nameof(OneOverFSigma));
        NonNegative(AmplifierOffsetSigma, nameof(AmplifierOffsetSigma));
        NonNegative(CosmicRayRate, nameof(CosmicRayRate));
        NonNegative(CosmicRayMeanLength, nameof(CosmicRayMeanLength));
        NonNegative(CosmicRayMedianCharge, nameof(CosmicRayMedianCharge));
        NonNegative(HotPixelMedianLevel, nameof(HotPixelMedianLevel));
        NonNegative(EpoxyVoidDensity, nameof(EpoxyVoidDensity));
        NonNegative(EpoxyVoidAmplitude, nameof(EpoxyVoidAmplitude));
        if (!(OneOverFAlpha >= 0 && OneOverFAlpha <= 4)) throw new InvalidSettingException("oneOverFAlpha", $"must be in [0, 4] (got {OneOverFAlpha})");
        if (LineOverhead < 0) throw new InvalidSettingException("lineOverhead", $"must be >= 0 (got {LineOverhead})");
        if (AmplifierCount < 1) throw new InvalidSettingException("amplifierCount", $"must be >= 1 (got {AmplifierCount})");
        if (!(HotPixelFraction >= 0 && HotPixelFraction < 1)) throw new InvalidSettingException("hotPixelFraction", $"must be in [0, 1) (got {HotPixelFraction})");
        if (!(DeadPixelFraction >= 0 && DeadPixelFraction < 1)) throw new InvalidSettingException("deadPixelFraction", $"must be in [0, 1) (got {DeadPixelFraction})");
    }
}
