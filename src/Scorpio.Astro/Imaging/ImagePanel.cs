namespace Scorpio.Astro.Imaging;

/// <summary>
/// One image of a figure: a title, the image (H, W) in physical units (an RGB composite when (3, H, W) and no colour
/// map is given), its unit for the colour bar, and how to display it. <see cref="PanelFigure"/> draws it.
/// </summary>
/// <param name="Title">drawn above the image.</param>
/// <param name="Image">(H, W), or (3, H, W) for a Lupton RGB composite; larger cubes show their first plane.</param>
public sealed record ImagePanel(string Title, ImageData Image)
{
    /// <summary>The pixels' physical unit, written under the colour bar (e.g. "flux/pixel", "e-/s", "sigma").</summary>
    public string? Unit { get; init; }
    /// <summary>Value → brightness mapping; also picks the limits unless <see cref="Limits"/> is set.</summary>
    public Stretch Stretch { get; init; } = Stretch.Asinh();
    /// <summary>Colour map; <see cref="ColorMap.Gray"/> by default. <see cref="ColorMap.Diverging"/> with a symmetric stretch for residuals and z-scores.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Gray;
    /// <summary>Display limits (low, high) in the image's units; null lets <see cref="Stretch"/> choose them from this image.</summary>
    public (double Low, double High)? Limits { get; init; }

    /// <summary>True when drawn as an RGB composite (three planes, no colour map asked for): no colour bar.</summary>
    public bool IsRgb => Image.Rank == 3 && Image.Shape[0] == 3 && ColorMap == ColorMap.Gray;

    /// <summary>The (H, W) plane shown (the first plane of a cube).</summary>
    public ImageData Plane => Image.Rank == 2 ? Image : Image.Plane(0);

    /// <summary>The limits used: <see cref="Limits"/>, else those <see cref="Stretch"/> picks for <see cref="Plane"/>.</summary>
    public (double Low, double High) ResolvedLimits() => Limits ?? Stretch.Limits(Plane.Data);
}
