using Scorpio.Astro;
using Scorpio.Metrics.Photometry;

namespace Scorpio.Metrics.Data;

/// <summary>
/// How an <see cref="ImageData"/> is read as a set of images: (H, W) is one single-band image,
/// (N, H, W) is N single-band images, (N, C, H, W) is N images of C bands (e.g. g, r, z).
/// </summary>
public readonly record struct StackShape(int Count, int Bands, int Height, int Width)
{
    /// <summary>Pixels per band plane.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Values per image (all bands).</summary>
    public int ImageSize => Bands * Height * Width;

    /// <summary>The layout of <paramref name="stack"/>; rank 5 or more is rejected with a message saying what is accepted.</summary>
    public static StackShape Of(ImageData stack) => stack.Rank switch
    {
        2 => new StackShape(1, 1, stack.Shape[0], stack.Shape[1]),
        3 => new StackShape(stack.Shape[0], 1, stack.Shape[1], stack.Shape[2]),
        4 => new StackShape(stack.Shape[0], stack.Shape[1], stack.Shape[2], stack.Shape[3]),
        _ => throw new UserInputException($"image set of shape ({string.Join(",", stack.Shape)}) not understood: expected (H,W), (N,H,W) or (N,C,H,W)"),
    };

    /// <summary>Band <paramref name="band"/> of image <paramref name="image"/> as a zero-copy plane.</summary>
    public Plane PlaneOf(ImageData stack, int image, int band) =>
        new(stack.Data, (image * Bands + band) * PlaneSize, Height, Width);

    /// <summary>A new stack holding the images at <paramref name="indices"/> (copied, in that order), shaped (k, C, H, W) or (k, H, W).</summary>
    public ImageData Select(ImageData stack, IReadOnlyList<int> indices)
    {
        int size = ImageSize;
        var data = new float[(long)indices.Count * size];
        for (int i = 0; i < indices.Count; i++)
            Array.Copy(stack.Data, (long)indices[i] * size, data, (long)i * size, size);
        return Bands == 1 && stack.Rank != 4
            ? new ImageData(data, indices.Count, Height, Width)
            : new ImageData(data, indices.Count, Bands, Height, Width);
    }

    /// <summary>
    /// Throws unless <paramref name="other"/> has the same bands and image size (counts may differ): an
    /// <see cref="InvalidSettingException"/> naming <paramref name="otherName"/> (the parameter that holds the other set).
    /// </summary>
    public void RequireCompatible(StackShape other, string thisName, string otherName)
    {
        if (Bands != other.Bands || Height != other.Height || Width != other.Width)
            throw new InvalidSettingException(otherName, $"images are {other.Bands}x{other.Height}x{other.Width} (bands x H x W) but {thisName} images are {Bands}x{Height}x{Width}; both sets must have the same bands and size");
    }
}
