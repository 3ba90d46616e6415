namespace Scorpio.Astro.Simulation;

/// <summary>K x K average pooling of every (H, W) plane: the forward model for observing a
/// fine-grid image with coarser detector pixels (the pixel-scale matching of Adam et al. 2023). Flux per
/// pixel becomes the mean over the block, so surface brightness is preserved.</summary>
public static class AveragePooling
{
    /// <summary>(..., H, W) to (..., H/K, W/K); H and W must be multiples of K.</summary>
    public static ImageData Apply(ImageData image, int factor)
    {
        if (factor < 1) throw new InvalidSettingException("factor", $"must be at least 1 (got {factor})");
        if (factor == 1) return image.Clone();
        int h = image.Height, w = image.Width;
        if (h % factor != 0 || w % factor != 0)
            throw new InvalidSettingException("factor", $"{factor} does not divide the image's {h}x{w} pixels: crop or pad it to a multiple of {factor}");
        int ho = h / factor, wo = w / factor, planes = image.PlaneCount;
        var shape = (int[])image.Shape.Clone();
        shape[^1] = wo;
        shape[^2] = ho;
        var output = new ImageData(shape);
        float scale = 1f / (factor * factor);
        for (int p = 0; p < planes; p++)
        {
            var src = image.Data.AsSpan(p * h * w, h * w);
            var dst = output.Data.AsSpan(p * ho * wo, ho * wo);
            for (int y = 0; y < h; y++)
            {
                int row = (y / factor) * wo;
                for (int x = 0; x < w; x++) dst[row + x / factor] += src[y * w + x];
            }
            for (int i = 0; i < dst.Length; i++) dst[i] *= scale;
        }
        return output;
    }
}
