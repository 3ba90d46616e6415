namespace Scorpio.Astro.Imaging;

/// <summary>
/// Quick-look PNGs of images: one image at its own pixel size, or a titled grid of several with colour bars (e.g. truth / noisy / denoised / residual).
/// (H, W) images are stretched and drawn in grey or through a colour map; (3, H, W) images are drawn as
/// Lupton RGB composites with planes taken as red, green, blue. Larger cubes show their first plane.
/// </summary>
public static class Preview
{
    /// <summary>Writes one image as a PNG (atomically).</summary>
    /// <param name="path">Output .png path.</param>
    /// <param name="image">(H, W) or (3, H, W) image in any unit.</param>
    /// <param name="stretch">Value → brightness mapping; limits are taken from this image.</param>
    /// <param name="cmap">Colour map for (H, W) images; null for grey.</param>
    public static void Save(string path, ImageData image, Stretch stretch, ColorMap? cmap = null)
    {
        var (w, h, r, g, b) = Render(image, stretch, cmap, null);
        Png.WriteRgb(path, r, g, b, w, h);
    }

    /// <summary>
    /// Writes a grid of images as a <see cref="PanelFigure"/>: each tile enlarged (nearest pixel) to a readable size,
    /// titled with its label, with a colour bar in <paramref name="unit"/>. With <paramref name="sharedLimits"/> all
    /// (H, W) tiles use the limits of the first one, so brightness compares across panels (truth vs. reconstruction).
    /// </summary>
    public static void SaveGrid(string path, IReadOnlyList<ImageData> images, Stretch stretch, IReadOnlyList<string>? labels = null,
        int columns = 4, ColorMap? cmap = null, bool sharedLimits = false, string? unit = null)
    {
        if (images.Count == 0) throw new UserInputException($"{path}: no images to put in the grid");
        if (columns < 1) throw new UserInputException($"{path}: grid columns must be at least 1 (got {columns})");
        if (labels != null && labels.Count != images.Count)
            throw new UserInputException($"{path}: {labels.Count} labels for {images.Count} images; give one label per image");
        (double, double)? limits = sharedLimits ? stretch.Limits(images[0].Plane(0).Data) : null;
        var panels = images.Select((im, k) => new ImagePanel(labels?[k] ?? "", im)
        {
            Stretch = stretch, ColorMap = cmap ?? ColorMap.Gray, Limits = limits, Unit = unit,
        }).ToList();
        var rows = panels.Chunk(columns).Select(c => new PanelRow(c)).ToList();
        PanelFigure.Save(path, rows);
    }

    /// <summary>Renders an image to RGB planes in [0, 1]: (width, height, r, g, b).</summary>
    public static (int W, int H, float[] R, float[] G, float[] B) Render(ImageData image, Stretch stretch, ColorMap? cmap = null, (double Low, double High)? limits = null)
    {
        if (image.Rank < 2 || image.Width < 1 || image.Height < 1)
            throw new UserInputException($"preview: image of shape ({string.Join(",", image.Shape)}) is not an (H, W) or (3, H, W) image");
        int w = image.Width, h = image.Height;
        if (image.Rank == 3 && image.Shape[0] == 3 && cmap == null)
        {
            var (r, g, b) = RgbComposite.Lupton(image.Plane(0), image.Plane(1), image.Plane(2));
            return (w, h, r, g, b);
        }
        var plane = image.Rank == 2 ? image : image.Plane(0);
        var (lo, hi) = limits ?? stretch.Limits(plane.Data);
        var t = stretch.Apply(plane.Data, lo, hi);
        var (cr, cg, cb) = (cmap ?? ColorMap.Gray).Apply(t);
        return (w, h, cr, cg, cb);
    }
}
