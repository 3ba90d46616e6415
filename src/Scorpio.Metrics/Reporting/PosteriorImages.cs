using Scorpio.Astro;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// What a posterior figure and viewer show, as (H, W) images in physical units: the posterior median, mean and standard
/// deviation on the model grid; optionally the truth, the observation (any grid), the residual y - A(median) on the
/// observed grid, a few samples and classical baselines (name, image) such as Richardson-Lucy.
/// </summary>
public sealed record PosteriorImages(ImageData Median, ImageData Mean, ImageData Std)
{
    /// <summary>The true image, when known (simulations): enables the z-score map (truth - mean) / std.</summary>
    public ImageData? Truth { get; init; }
    /// <summary>The observation y (its own grid).</summary>
    public ImageData? Observation { get; init; }
    /// <summary>y - A(median) on the observed grid.</summary>
    public ImageData? Residual { get; init; }
    /// <summary>Posterior samples (the viewer plays them).</summary>
    public IReadOnlyList<ImageData> Samples { get; init; } = Array.Empty<ImageData>();
    /// <summary>Baseline reconstructions (name, image) shown beside the median on the same stretch.</summary>
    public IReadOnlyList<(string Name, ImageData Image)> Baselines { get; init; } = Array.Empty<(string, ImageData)>();
    /// <summary>The images' unit (FITS BUNIT), or null when unknown.</summary>
    public string? Unit { get; init; }
}
