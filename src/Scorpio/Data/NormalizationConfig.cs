namespace Scorpio.Data;

/// <summary>
/// How physical pixel values map to the network's scale, with the statistics fitted on the
/// training data (stored in a run's config.json so sampling can return physical units).
/// Kinds: <c>clip</c> (Smith et al. 2022 eq. 13), <c>asinh</c> (Spagnoletti et al. 2024), <c>minmax-dataset</c>,
/// <c>minmax-image</c> (Vicanek Martinez and Brüggen), <c>standardize</c>, <c>none</c>.
/// Fitted arrays hold one value per channel (per vector component for (N, D) data).
/// </summary>
public sealed record NormalizationConfig
{
    /// <summary>clip, asinh, minmax-dataset, minmax-image, standardize or none.</summary>
    public string Kind { get; init; } = "clip";

    /// <summary>clip: percentile (0-100) of the training pixels that sets the upper clip A when <see cref="ClipMax"/> is not given (99.9, Smith et al. 2022).</summary>
    public double ClipPercentile { get; init; } = 99.9;

    /// <summary>clip: the upper clip A in physical units (Smith et al. 2022 used 5.0 ADU for SDSS, 5.5 for PROBES); null = from <see cref="ClipPercentile"/>.</summary>
    public double? ClipMax { get; init; }

    /// <summary>asinh: the stretch scale s in asinh(x / s), physical units (0.01 in Spagnoletti et al. 2024).</summary>
    public double AsinhScale { get; init; } = 0.01;

    /// <summary>Fitted: per-channel lower end of the range mapped to -1 (asinh: in stretched units; minmax-image: the median of the per-image minima).</summary>
    public double[]? Low { get; init; }

    /// <summary>Fitted: per-channel upper end of the range mapped to +1 (minmax-image: median per-image minimum plus median per-image range).</summary>
    public double[]? High { get; init; }

    /// <summary>Fitted (standardize): per-channel mean, physical units.</summary>
    public double[]? Mean { get; init; }

    /// <summary>Fitted (standardize): per-channel standard deviation, physical units.</summary>
    public double[]? Std { get; init; }

    /// <summary>The known kinds.</summary>
    public static readonly string[] Kinds = ["clip", "asinh", "minmax-dataset", "minmax-image", "standardize", "none"];
}
