namespace Scorpio.NoiseModels;

/// <summary>The forward model A a noise model is trained for: a PSF file and an average-pooling factor (none: A = identity).</summary>
public sealed record NoiseForwardModel
{
    /// <summary>PSF (FITS or .npy, (h, w) or (bands, h, w)) on the model grid, or null for no blur.</summary>
    public string? Psf { get; init; }
    /// <summary>Average pooling from the model grid to the noise images' grid (1 = none).</summary>
    public int Pool { get; init; } = 1;
}
