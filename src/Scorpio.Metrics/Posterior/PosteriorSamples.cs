using Scorpio.Astro;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Posterior samples of one image: N draws, each with <see cref="PixelCount"/> values (all bands),
/// read from an (N, H, W) or (N, C, H, W) array. Pixel p of sample s is Data[s * PixelCount + p].
/// </summary>
public sealed class PosteriorSamples
{
    /// <summary>The samples (shared with the source array).</summary>
    public ImageData Stack { get; }
    /// <summary>Number of draws.</summary>
    public int Count { get; }
    /// <summary>Values per draw.</summary>
    public int PixelCount { get; }
    /// <summary>Shape of one draw, e.g. (H, W) or (C, H, W).</summary>
    public int[] ImageShape { get; }

    /// <summary>Wraps a stack of draws; the leading axis is the draw index.</summary>
    public PosteriorSamples(ImageData stack)
    {
        if (stack.Rank < 3)
            throw new UserInputException($"posterior samples must be (N,H,W) or (N,C,H,W), got shape ({string.Join(",", stack.Shape)})");
        Stack = stack;
        Count = stack.Shape[0];
        ImageShape = stack.Shape[1..];
        PixelCount = Count == 0 ? 0 : (int)(stack.Length / Count);
        if (Count < 2) throw new UserInputException($"need at least 2 posterior samples, got {Count}");
    }

    /// <summary>Throws unless <paramref name="image"/> has the shape of one draw.</summary>
    public void RequireImageShape(ImageData image, string what)
    {
        if (!image.Shape.SequenceEqual(ImageShape) && !(image.Length == PixelCount && image.Rank >= 2 && image.Shape[^2..].SequenceEqual(ImageShape[^2..])))
            throw new UserInputException($"{what} has shape ({string.Join(",", image.Shape)}) but each posterior sample is ({string.Join(",", ImageShape)})");
    }

    /// <summary>The N values of pixel <paramref name="p"/> (copied into <paramref name="buffer"/>).</summary>
    public void PixelValues(int p, double[] buffer)
    {
        for (int s = 0; s < Count; s++) buffer[s] = Stack.Data[(long)s * PixelCount + p];
    }

    /// <summary>Per-pixel mean over draws.</summary>
    public double[] Mean()
    {
        var m = new double[PixelCount];
        for (int s = 0; s < Count; s++)
            for (int p = 0; p < PixelCount; p++) m[p] += Stack.Data[(long)s * PixelCount + p];
        for (int p = 0; p < PixelCount; p++) m[p] /= Count;
        return m;
    }

    /// <summary>Per-pixel variance over draws (divisor N, numpy's default).</summary>
    public double[] Variance()
    {
        var m = Mean();
        var v = new double[PixelCount];
        for (int s = 0; s < Count; s++)
            for (int p = 0; p < PixelCount; p++) { double d = Stack.Data[(long)s * PixelCount + p] - m[p]; v[p] += d * d; }
        for (int p = 0; p < PixelCount; p++) v[p] /= Count;
        return v;
    }
}
