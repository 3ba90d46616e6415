namespace Scorpio.Astro.Simulation;

/// <summary>
/// Settings of <see cref="SossTraceSimulator"/>. Geometry follows JWST NIRISS SOSS SUBSTRIP256 in
/// DMS orientation (fitted to the WASP-39 median frame): order 1 crosses the whole width with a
/// curved centroid (y ~ 87 px at the left, ~41 px near x = 1500, ~72 px at the right, for
/// H = 256), order 2 sits below it from x ~ 0.4 W and leaves the frame near x ~ 0.9 W, a faint
/// short order 3 lies at the left. Vertical positions and the profile width scale with
/// <see cref="Height"/> / 256 and horizontal positions with <see cref="Width"/> / 2048, so small
/// test frames (e.g. 64 x 256) look like shrunken SOSS frames. Values are DN.
/// </summary>
public sealed record SossTraceOptions
{
    public int Height { get; init; } = 256;
    public int Width { get; init; } = 2048;

    /// <summary>Brightest order-1 pixel before the per-sample brightness factor, DN
    /// (~350 in the WASP-39 median frame).</summary>
    public double PeakBrightness { get; init; } = 350;

    /// <summary>Per-sample brightness factor.</summary>
    public Distribution Brightness { get; init; } = Distribution.LogUniform(0.5, 2);

    /// <summary>Stellar effective temperature, K (the SLIC paper's PHOENIX range 2400-6900 K).</summary>
    public Distribution Temperature { get; init; } = Distribution.Uniform(2400, 6900);

    /// <summary>Horizontal shift of the whole pattern, pixels.</summary>
    public Distribution ShiftX { get; init; } = Distribution.Uniform(-20, 20);
    /// <summary>Vertical shift, pixels.</summary>
    public Distribution ShiftY { get; init; } = Distribution.Uniform(-2, 2);
    /// <summary>Rotation about the frame centre, degrees.</summary>
    public Distribution RotationDegrees { get; init; } = Distribution.Uniform(-0.3, 0.3);

    /// <summary>Half-width of the spatial profile (edge to centre), pixels; null = 11.5 * Height / 256.</summary>
    public double? ProfileHalfWidth { get; init; }
    /// <summary>Relative brightness of the profile's edge "horns" (SOSS's defocused profile is
    /// brighter at its edges); 0 = flat top.</summary>
    public double HornStrength { get; init; } = 0.5;

    /// <summary>Multipliers of each order's light (set to 0 to drop an order).</summary>
    public double Order2Scale { get; init; } = 1;
    public double Order3Scale { get; init; } = 1;

    /// <summary>Multiplier of all absorption-line depths (0 = pure blackbody).</summary>
    public double LineDepthScale { get; init; } = 1;

    /// <summary>Constant background added everywhere, DN.</summary>
    public double Background { get; init; }

    /// <summary>The profile half-width in pixels for this frame height.</summary>
    public double EffectiveHalfWidth => ProfileHalfWidth ?? 11.5 * Height / 256.0;

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase, e.g. <c>peakBrightness</c>).</summary>
    public void Validate()
    {
        if (Height < 16) throw new InvalidSettingException("height", $"must be at least 16 pixels (got {Height}; the frame is at least 16 x 32)");
        if (Width < 32) throw new InvalidSettingException("width", $"must be at least 32 pixels (got {Width}; the frame is at least 16 x 32)");
        if (!(PeakBrightness >= 0)) throw new InvalidSettingException("peakBrightness", $"must be >= 0 (got {PeakBrightness})");
        if (!(EffectiveHalfWidth > 0.5)) throw new InvalidSettingException("profileHalfWidth", $"must be > 0.5 pixel (got {EffectiveHalfWidth})");
        if (!(HornStrength >= 0)) throw new InvalidSettingException("hornStrength", $"must be >= 0 (got {HornStrength})");
        if (!(Order2Scale >= 0)) throw new InvalidSettingException("order2Scale", $"must be >= 0 (got {Order2Scale})");
        if (!(Order3Scale >= 0)) throw new InvalidSettingException("order3Scale", $"must be >= 0 (got {Order3Scale})");
        if (!(LineDepthScale >= 0)) throw new InvalidSettingException("lineDepthScale", $"must be >= 0 (got {LineDepthScale})");
        Brightness.Validate("brightness");
        if (Brightness.Cdf(-1e-12) > 0) throw new InvalidSettingException("brightness", $"must not be negative (got {Brightness})");
        Temperature.Validate("temperature").RequirePositive("temperature");
        ShiftX.Validate("shiftX");
        ShiftY.Validate("shiftY");
        RotationDegrees.Validate("rotationDegrees");
    }
}
