using Scorpio.Astro;
using Scorpio.Astro.Imaging;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Figure helpers for strips of SOSS tiles: tiles side by side as one (size, n * size) strip, and a
/// labelled column of strips where each strip is mapped to [0, 1] with its own limits (so a
/// 15-85% width map can sit under images in DN), written with Scorpio.Astro's PNG writer.
/// </summary>
public static class StripFigures
{
    /// <summary>Tiles (each (s, s)) placed left to right: (s, n * s).</summary>
    public static ImageData Concatenate(IReadOnlyList<ImageData> tiles)
    {
        int s = tiles[0].Height, n = tiles.Count, w = n * s;
        var strip = new ImageData(s, w);
        for (int k = 0; k < n; k++)
            for (int y = 0; y < s; y++)
                Array.Copy(tiles[k].Data, y * s, strip.Data, y * w + k * s, s);
        return strip;
    }

    /// <summary>(v - low) / (high - low) clipped to [0, 1], enlarged <paramref name="zoom"/> times (nearest pixel).</summary>
    public static ImageData Normalise(ImageData image, double low, double high, int zoom)
    {
        int h = image.Height, w = image.Width;
        var result = new ImageData(h * zoom, w * zoom);
        double span = high > low ? high - low : 1;
        for (int y = 0; y < h * zoom; y++)
            for (int x = 0; x < w * zoom; x++)
                result.Data[y * w * zoom + x] = (float)Math.Clamp((image.Data[y / zoom * w + x / zoom] - low) / span, 0, 1);
        return result;
    }

    /// <summary>Writes already-normalised strips as one labelled column.</summary>
    public static void Save(string path, IReadOnlyList<ImageData> normalised, IReadOnlyList<string> labels, ColorMap cmap) =>
        Preview.SaveGrid(path, normalised, Stretch.Linear(0, 1), labels, columns: 1, cmap: cmap);
}
