using Scorpio.Astro;
using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Square tiles of NIRISS SOSS SUBSTRIP256 frames (256 x 2048, DMS orientation: rows = spatial,
/// columns = wavelength, 1/f stripes along the columns) for networks a CPU can train: order-1
/// trace tiles centred on the trace for the prior and the observations, and grid tiles of
/// full-height dark frames for the noise model (cut from 256-row frames so that the 1/f stripes and
/// amplifier offsets have the statistics of the full detector readout, not of a tiny frame).
/// </summary>
public static class SossTiles
{
    /// <summary>Copies the <paramref name="size"/> x <paramref name="size"/> tile with top-left
    /// (<paramref name="y0"/>, <paramref name="x0"/>) of plane <paramref name="plane"/> of an (N, H, W) stack.</summary>
    public static ImageData Cut(ImageData frames, int plane, int y0, int x0, int size)
    {
        int h = frames.Height, w = frames.Width;
        if (y0 < 0 || x0 < 0 || y0 + size > h || x0 + size > w)
            throw new ArgumentOutOfRangeException(nameof(y0), $"tile ({y0}, {x0}) of {size} px leaves the {h}x{w} frame");
        var tile = new ImageData(size, size);
        long offset = (long)plane * h * w;
        for (int y = 0; y < size; y++)
            Array.Copy(frames.Data, offset + (long)(y0 + y) * w + x0, tile.Data, y * size, size);
        return tile;
    }

    /// <summary>Top row of the tile centred (vertically) on <paramref name="centroidRow"/>, kept inside a frame of <paramref name="height"/> rows.</summary>
    public static int TopRow(double centroidRow, int size, int height) =>
        Math.Clamp((int)Math.Round(centroidRow) - size / 2, 0, height - size);

    /// <summary>
    /// Order-1 training tiles from simulated full SOSS frames: <paramref name="frames"/> frames (drawn
    /// in chunks to bound memory) times <paramref name="tilesPerFrame"/> tiles each, at random columns in
    /// [<paramref name="xMin"/>, <paramref name="xMax"/> - size) and centred on that frame's order-1
    /// centroid with a random vertical jitter of up to <paramref name="jitter"/> px. Returns (N, size, size), DN.
    /// </summary>
    public static ImageData TraceTiles(SossTraceSimulator simulator, int frames, int tilesPerFrame, int size, int xMin, int xMax, int jitter, long seed)
    {
        const int Chunk = 32;
        var tiles = new List<ImageData>(frames * tilesPerFrame);
        var rng = new SeededRandom(seed, long.MaxValue - 7);
        for (int start = 0; start < frames; start += Chunk)
        {
            int count = Math.Min(Chunk, frames - start);
            // Frame i of the chunk is frame (start + i) of the seed's sequence: seed offset per chunk.
            var sim = simulator.Simulate(count, seed + start);
            int h = sim.Images.Height, w = sim.Images.Width;
            for (int i = 0; i < count; i++)
            {
                for (int k = 0; k < tilesPerFrame; k++)
                {
                    int x0 = (int)rng.NextDouble(xMin, xMax - size);
                    float c = sim.Order1Centroids.Data[i * w + x0 + size / 2];
                    if (!float.IsFinite(c)) continue;
                    int dy = (int)Math.Round(rng.NextDouble(-jitter, jitter));
                    tiles.Add(Cut(sim.Images, i, TopRow(c + dy, size, h), x0, size));
                }
            }
        }
        return ImageData.Stack(tiles);
    }

    /// <summary>Every non-overlapping tile of every plane of an (N, H, W) stack, row-major: (N * (H/size) * (W/size), size, size).</summary>
    public static ImageData GridTiles(ImageData frames, int size)
    {
        var tiles = new List<ImageData>();
        for (int p = 0; p < frames.PlaneCount; p++)
            for (int y = 0; y + size <= frames.Height; y += size)
                for (int x = 0; x + size <= frames.Width; x += size)
                    tiles.Add(Cut(frames, p, y, x, size));
        return ImageData.Stack(tiles);
    }
}
