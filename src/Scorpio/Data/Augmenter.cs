using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Random augmentation of a training batch (B, C, H, W): crops to the network size (when enabled),
/// horizontal/vertical flips, rotations by multiples of 90 degrees and shifts of up to N pixels
/// (reflect or zero fill). Each sample gets its own draws, all from the given generator, so the
/// augmentation of a resumed run is identical to an uninterrupted one. In data-parallel training the draws are made for
/// the global batch and each rank uses its rows (<see cref="BatchShard"/>), so sample j of a step is augmented the same
/// whatever the number of processes. Vectors (B, D) pass through.
/// </summary>
public static class Augmenter
{
    /// <summary>True when <paramref name="config"/> changes anything for images of this size.</summary>
    public static bool IsActive(AugmentationConfig config, long height, long width, int size) =>
        config.Flip || config.Rot90 || config.Shift > 0 || (config.Crop && (height > size || width > size));

    /// <summary>The augmented batch (a new tensor, <paramref name="size"/> x <paramref name="size"/> when cropping).</summary>
    /// <param name="batch">this process's rows of the batch (all of it without <paramref name="shard"/>).</param>
    /// <param name="config">what to draw.</param>
    /// <param name="size">the network's image side.</param>
    /// <param name="rng">the data generator.</param>
    /// <param name="shard">which rows of the global batch <paramref name="batch"/> holds; null = the whole batch.</param>
    public static Tensor Apply(Tensor batch, AugmentationConfig config, int size, Generator rng, BatchShard? shard = null)
    {
        if (batch.Dim != 4) return batch.Alias();
        long local = batch.Size(0), h = batch.Size(2), w = batch.Size(3);
        if (shard is { } sh && sh.Count != local) throw new ArgumentException($"the shard holds {sh.Count} rows but the batch has {local}", nameof(shard));
        long b = shard?.Global ?? local, first = shard?.Offset ?? 0;
        bool crop = config.Crop && (h > size || w > size);
        if (!crop && (h != size || w != size))
            throw new UserInputException($"training images are {h}x{w} pixels but the network takes {size}x{size}: set --image-size {h} or use --crop");
        if (config.Shift < 0) throw new UserInputException($"training.augment.shift must be >= 0, got {config.Shift}");
        if (config.Shift >= size) throw new UserInputException($"training.augment.shift = {config.Shift} must be smaller than the image size {size}");
        if (config.ShiftFill is not ("reflect" or "zero"))
            throw new UserInputException($"training.augment.shiftFill must be reflect or zero, got '{config.ShiftFill}'");
        if (!IsActive(config, h, w, size)) return batch.Alias();

        // One row of draws per sample: crop y, crop x, flip h, flip v, quarter turns, shift y, shift x.
        var cy = Draw(crop ? h - size + 1 : 1, b, rng);
        var cx = Draw(crop ? w - size + 1 : 1, b, rng);
        var fh = Draw(config.Flip ? 2 : 1, b, rng);
        var fv = Draw(config.Flip ? 2 : 1, b, rng);
        var rot = Draw(config.Rot90 ? 4 : 1, b, rng);
        int s = config.Shift;
        var sy = Draw(2 * s + 1, b, rng);
        var sx = Draw(2 * s + 1, b, rng);

        var parts = new Tensor[local];
        try
        {
            for (int j = 0; j < local; j++)
            {
                long i = first + j;
                using var one = batch.Narrow(0, j, 1);
                using var cropped = crop ? one.Narrow(2, cy[i], size).Narrow(3, cx[i], size) : one.Alias();
                using var flippedH = fh[i] == 1 ? cropped.Flip(3) : cropped.Alias();
                using var flippedV = fv[i] == 1 ? flippedH.Flip(2) : flippedH.Alias();
                using var rotated = rot[i] != 0 ? flippedV.Rot90(rot[i], [2, 3]) : flippedV.Alias();
                parts[j] = s > 0 ? Shift(rotated, sy[i] - s, sx[i] - s, s, config.ShiftFill) : rotated.Alias();
            }
            return torch.Cat(parts, 0);
        }
        finally
        {
            foreach (var p in parts) p?.Dispose();
        }
    }

    // Shifts the content by (dy, dx) pixels: pad by s on every side, then cut the window.
    private static Tensor Shift(Tensor x, long dy, long dx, int s, string fill)
    {
        if (dy == 0 && dx == 0) return x.Alias();
        using var padded = torch.Pad(x, [s, s, s, s], fill == "reflect" ? "reflect" : "constant");
        using var rows = padded.Narrow(2, s - dy, x.Size(2));
        return rows.Narrow(3, s - dx, x.Size(3)).Contiguous();
    }

    private static long[] Draw(long high, long count, Generator rng)
    {
        using var t = torch.RandInt(0, high, [count], rng, Device.CPU);
        return t.ToArray<long>();
    }
}
