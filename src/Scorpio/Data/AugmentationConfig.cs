namespace Scorpio.Data;

/// <summary>
/// Random data augmentation applied to each training batch (config key <c>training.augment</c>).
/// Flips and 90-degree rotations assume the sky has no preferred orientation; shifts of up to
/// 10 px decentred the galaxies in Spagnoletti et al. 2024 and cured its mode collapse.
/// </summary>
public sealed record AugmentationConfig
{
    /// <summary>Random horizontal and vertical flips.</summary>
    public bool Flip { get; init; } = true;
    /// <summary>Random rotations by multiples of 90 degrees (square images only).</summary>
    public bool Rot90 { get; init; } = true;
    /// <summary>Random shifts of up to this many pixels in x and y (0 = off).</summary>
    public int Shift { get; init; }
    /// <summary>Fill of the pixels uncovered by a shift: reflect or zero.</summary>
    public string ShiftFill { get; init; } = "reflect";
    /// <summary>Take random crops of image-size from larger images (otherwise larger images are refused).</summary>
    public bool Crop { get; init; }
}
