using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// What a user says about one exposure of an inverse problem: the observation, its forward model and its noise, as file
/// paths (the CLI, problem files) or in-memory values (library users, tests). <see cref="InverseProblem.Build"/> loads and
/// checks it. Setting names are the problem file's JSON keys; errors name them (the CLI maps them to its flags).
/// </summary>
public sealed record ExposureSpec
{
    /// <summary>The observation FITS file ((H, W) or (C, H, W); NaNs are masked), or null with <see cref="Observation"/>.</summary>
    public string? ObservationPath { get; init; }
    /// <summary>An observation already read (not owned by the problem), or null with <see cref="ObservationPath"/>.</summary>
    public ObservationInput? Observation { get; init; }
    /// <summary>A bad-pixel mask FITS on the observed grid: non-zero = pixel not used.</summary>
    public string? MaskPath { get; init; }

    /// <summary>PSF FITS file, (H, W) or one plane per band, normalised to sum 1 with its centre at (H/2, W/2).</summary>
    public string? PsfPath { get; init; }
    /// <summary>A PSF already read, (bands or 1, H, W) (not owned by the problem).</summary>
    public Tensor? Psf { get; init; }
    /// <summary>An analytic PSF on the model grid instead of a file: gaussian, moffat or airy, with <see cref="PsfFwhm"/>.</summary>
    public string? PsfModel { get; init; }
    /// <summary>FWHM of <see cref="PsfModel"/> in model-grid pixels.</summary>
    public double? PsfFwhm { get; init; }
    /// <summary>The PSF file is sampled this many times finer than the observed pixels; null = the model grid (= <see cref="Pool"/>).</summary>
    public int? PsfSupersample { get; init; }
    /// <summary>Model pixels per observed pixel along each axis (average pooling).</summary>
    public int Pool { get; init; } = 1;
    /// <summary>Resampling factor applied before the PSF (pixel-scale or redshift matching), or null.</summary>
    public double? Scale { get; init; }
    /// <summary>Sub-pixel shift (dx, dy) of this exposure relative to the model grid, in model pixels, or null.</summary>
    public (double Dx, double Dy)? Shift { get; init; }
    /// <summary>A coordinate-map FITS (2, H', W') from the exposure's WCS: model x then y of every warped pixel.</summary>
    public string? WarpPath { get; init; }

    /// <summary>White Gaussian noise sigma, observation units.</summary>
    public double? Sigma { get; init; }
    /// <summary>Per-pixel noise sigma FITS on the observed grid.</summary>
    public string? SigmaMapPath { get; init; }
    /// <summary>A per-pixel sigma map already read (not owned by the problem).</summary>
    public Tensor? SigmaMap { get; init; }

    /// <summary>
    /// How errors name this exposure's settings: null for a single exposure given by flags (errors say "sigma ..."), else
    /// a prefix such as "problem.json: exposures[1]." (errors say "problem.json: exposures[1].sigma ...").
    /// </summary>
    public string? Label { get; init; }
}
