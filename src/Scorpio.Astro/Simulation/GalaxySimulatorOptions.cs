namespace Scorpio.Astro.Simulation;

/// <summary>
/// Settings of <see cref="GalaxySimulator"/>. Lengths are in pixels, fluxes in the units implied
/// by <see cref="ZeroPoint"/> (22.5 gives nanomaggies, as DESI/SDSS cutouts use). Defaults give
/// 64x64 single-band (r) stamps of bulge+disk galaxies that fill a good part of the stamp but fit
/// in it (half-light radii around 10% of the side), non-negative noiseless light plus mild
/// Gaussian background noise, no PSF. Use <see cref="ForSize"/> for other stamp sizes.
/// </summary>
public sealed record GalaxySimulatorOptions
{
    /// <summary>Stamp side, pixels (square stamps).</summary>
    public int Size { get; init; } = 64;

    /// <summary>Bands to render; one band gives (N, H, W) images, several give (N, C, H, W).
    /// Colours come from <see cref="Colours"/>.</summary>
    public IReadOnlyList<string> Bands { get; init; } = ["r"];

    /// <summary>Band in which <see cref="Magnitude"/> and <see cref="BulgeFraction"/> are defined.</summary>
    public string ReferenceBand { get; init; } = "r";

    /// <summary>Magnitude-to-flux zero point: flux = 10^(-0.4 (m - ZeroPoint)).</summary>
    public double ZeroPoint { get; init; } = 22.5;

    /// <summary>Total reference-band magnitude; default: number counts rising as 10^(0.3 m) from 16.5 to 20.</summary>
    public Distribution Magnitude { get; init; } = Distribution.NumberCounts(16.5, 20, 0.3);

    /// <summary>Half-light radius (semi-major axis of the half-light ellipse, pixels): log-normal,
    /// median 6.4 px with 0.3 natural-log scatter, kept in [2.5, 13] px for 64-px stamps.</summary>
    public Distribution HalfLightRadius { get; init; } = Distribution.LogNormal(6.4, 0.3, 2.5, 13);

    /// <summary>Fraction of galaxies that are pure spheroids (bulge fraction 1, no disk features).</summary>
    public double EllipticalFraction { get; init; } = 0.2;

    /// <summary>Bulge-to-total light ratio (reference band) of disk galaxies.</summary>
    public Distribution BulgeFraction { get; init; } = Distribution.Uniform(0, 0.6);

    /// <summary>Sersic index of bulges and ellipticals.</summary>
    public Distribution BulgeSersicIndex { get; init; } = Distribution.Uniform(1.5, 4.5);

    /// <summary>r_e of the bulge divided by r_e of the disk.</summary>
    public Distribution BulgeToDiskSize { get; init; } = Distribution.Uniform(0.15, 0.5);

    /// <summary>Projected axis ratio of the disk (1 = face-on); set the distribution to
    /// constant:1 for round galaxies.</summary>
    public Distribution AxisRatio { get; init; } = Distribution.Uniform(0.25, 1.0);

    /// <summary>Axis ratio of bulges; never flatter than the disk they sit in.</summary>
    public Distribution BulgeAxisRatio { get; init; } = Distribution.Uniform(0.6, 1.0);

    /// <summary>Probability that a disk has logarithmic spiral arms.</summary>
    public double SpiralProbability { get; init; } = 0.6;
    /// <summary>Arm-count choices, drawn uniformly (2 listed thrice: grand-design spirals dominate).</summary>
    public IReadOnlyList<int> ArmCounts { get; init; } = [2, 2, 2, 3, 4];
    /// <summary>Pitch angle of the logarithmic spiral, degrees.</summary>
    public Distribution ArmPitchDegrees { get; init; } = Distribution.Uniform(10, 30);
    /// <summary>Arm contrast in [0, 1]: 0 = smooth disk, 1 = all disk light in arms.</summary>
    public Distribution ArmAmplitude { get; init; } = Distribution.Uniform(0.3, 0.9);
    /// <summary>Arm sharpness exponent p: the arm profile is ((1 + cos phi)/2)^p.</summary>
    public Distribution ArmSharpness { get; init; } = Distribution.Uniform(1, 3);

    /// <summary>Probability that a disk has a bar.</summary>
    public double BarProbability { get; init; } = 0.25;
    /// <summary>Fraction of disk light in the bar.</summary>
    public Distribution BarFraction { get; init; } = Distribution.Uniform(0.05, 0.2);
    /// <summary>Bar half-length in units of the disk r_e.</summary>
    public Distribution BarLength { get; init; } = Distribution.Uniform(0.6, 1.2);

    /// <summary>Probability that a disk has star-forming clumps.</summary>
    public double ClumpProbability { get; init; } = 0.5;
    /// <summary>Number of clumps when present.</summary>
    public Distribution ClumpCount { get; init; } = Distribution.Uniform(2, 8);
    /// <summary>Fraction of disk light in clumps.</summary>
    public Distribution ClumpFraction { get; init; } = Distribution.Uniform(0.02, 0.12);
    /// <summary>Gaussian sigma of one clump, pixels.</summary>
    public Distribution ClumpSigma { get; init; } = Distribution.Uniform(0.5, 1.2);

    /// <summary>Colour offsets per band; bands missing here are an error.</summary>
    public IReadOnlyDictionary<string, BandColour> Colours { get; init; } = BandColour.Defaults;

    /// <summary>Maximum random shift of the centre from (W/2, H/2) along each axis, pixels (uniform).</summary>
    public double CentreShift { get; init; }

    /// <summary>PSF FWHM in pixels; 0 = no PSF convolution.</summary>
    public double PsfFwhm { get; init; }
    /// <summary>PSF shape when <see cref="PsfFwhm"/> > 0.</summary>
    public PsfModel PsfModel { get; init; } = PsfModel.Moffat;
    /// <summary>Moffat beta of the PSF.</summary>
    public double PsfBeta { get; init; } = 3.5;

    /// <summary>Constant sky level added to every pixel (flux units).</summary>
    public double Background { get; init; }
    /// <summary>Standard deviation of the Gaussian pixel noise (flux units); 0 = noiseless.</summary>
    public double NoiseSigma { get; init; } = 0.01;

    /// <summary>These options for another stamp side: every pixel length (sizes, shifts, clump
    /// widths, PSF FWHM) scaled by size / <see cref="Size"/>.</summary>
    public GalaxySimulatorOptions ForSize(int size)
    {
        if (size < 8) throw new InvalidSettingException("size", $"must be at least 8 pixels (got {size})");
        double f = size / (double)Size;
        return this with
        {
            Size = size,
            HalfLightRadius = HalfLightRadius.Scaled(f),
            ClumpSigma = ClumpSigma.Scaled(f),
            CentreShift = CentreShift * f,
            PsfFwhm = PsfFwhm * f,
        };
    }

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase, e.g. <c>noiseSigma</c>).</summary>
    public void Validate()
    {
        if (Size < 8) throw new InvalidSettingException("size", $"must be at least 8 pixels (got {Size})");
        if (Bands.Count == 0) throw new InvalidSettingException("bands", "is empty: give at least one band, e.g. r or g,r,z");
        foreach (var b in Bands.Append(ReferenceBand))
            if (!Colours.ContainsKey(b))
                throw new InvalidSettingException(Bands.Contains(b) ? "bands" : "referenceBand", $"has no colour known for band '{b}'; known bands: {string.Join(",", Colours.Keys)} (add it to Colours)");
        if (Bands.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Bands.Count) throw new InvalidSettingException("bands", $"lists a band twice ({string.Join(",", Bands)})");
        Magnitude.Validate("magnitude");
        HalfLightRadius.Validate("halfLightRadius").RequirePositive("halfLightRadius");
        BulgeFraction.Validate("bulgeFraction");
        if (BulgeFraction.Cdf(-1e-12) > 0 || BulgeFraction.Cdf(1) < 1) throw new InvalidSettingException("bulgeFraction", $"must stay within [0, 1] (got {BulgeFraction})");
        BulgeSersicIndex.Validate("bulgeSersicIndex").RequirePositive("bulgeSersicIndex");
        BulgeToDiskSize.Validate("bulgeToDiskSize").RequirePositive("bulgeToDiskSize");
        AxisRatio.Validate("axisRatio").RequirePositive("axisRatio", 1);
        BulgeAxisRatio.Validate("bulgeAxisRatio").RequirePositive("bulgeAxisRatio", 1);
        ArmPitchDegrees.Validate("armPitchDegrees").RequirePositive("armPitchDegrees", 89);
        ArmAmplitude.Validate("armAmplitude");
        ArmSharpness.Validate("armSharpness").RequirePositive("armSharpness");
        BarFraction.Validate("barFraction");
        BarLength.Validate("barLength").RequirePositive("barLength");
        ClumpCount.Validate("clumpCount");
        ClumpFraction.Validate("clumpFraction");
        ClumpSigma.Validate("clumpSigma").RequirePositive("clumpSigma");
        Probability(EllipticalFraction, "ellipticalFraction");
        Probability(SpiralProbability, "spiralProbability");
        Probability(BarProbability, "barProbability");
        Probability(ClumpProbability, "clumpProbability");
        if (ArmCounts.Count == 0 || ArmCounts.Any(m => m < 1)) throw new InvalidSettingException("armCounts", "must list arm counts >= 1");
        if (!(NoiseSigma >= 0)) throw new InvalidSettingException("noiseSigma", $"must be >= 0 (got {NoiseSigma})");
        if (!(PsfFwhm >= 0)) throw new InvalidSettingException("psfFwhm", $"must be >= 0 (got {PsfFwhm})");
        if (!(CentreShift >= 0)) throw new InvalidSettingException("centreShift", $"must be >= 0 (got {CentreShift})");
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new InvalidSettingException(name, $"is a probability in [0, 1] (got {p})");
    }
}
