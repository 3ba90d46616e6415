using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;
using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Reads the images a command or pipeline is given (observations, PSFs, masks, noise maps) from FITS or .npy, as
/// <see cref="ImageData"/> or as float32 tensors. Errors are <see cref="InvalidSettingException"/>s naming the parameter the
/// file was given for (e.g. <c>psf</c>; the CLI prints its flag) and the file: a missing file, or a shape that does not fit.
/// </summary>
public static class ImageInputs
{
    /// <summary>A FITS image with its header, or a .npy array (no header: null).</summary>
    public static (ImageData Image, FitsHeader? Header) ReadWithHeader(string path, string parameter)
    {
        RequireFile(path, parameter);
        if (IsNpy(path)) return (NpyFile.Read(path), null);
        var (image, header) = FitsFile.ReadWithHeader(path);
        return (image, header);
    }

    /// <summary>An image with the file's shape (FITS: HDU <paramref name="hdu"/> or the first with pixels).</summary>
    public static ImageData Read(string path, string parameter, int? hdu = null)
    {
        RequireFile(path, parameter);
        return DatasetFiles.ReadImage(path, hdu);
    }

    /// <summary>One 2-D image: (H, W), or (1, H, W) and (1, 1, H, W) with their length-1 axes dropped (PSFs, masks, frames).</summary>
    public static ImageData ReadPlane(string path, string parameter) => Squeeze(ReadWithHeader(path, parameter).Image, parameter, path);

    /// <summary>Drops leading length-1 axes so a (1, h, w) PSF or mask is accepted as (h, w); anything else is an error.</summary>
    public static ImageData Squeeze(ImageData image, string parameter, string? path = null)
    {
        if (image.PlaneCount != 1 || image.Rank < 2)
            throw new InvalidSettingException(parameter, $"{(path is null ? "" : path + ": ")}expected one 2-D image, got shape ({string.Join(",", image.Shape)})");
        return image.Rank == 2 ? image : image.Reshape(image.Height, image.Width);
    }

    /// <summary>A FITS or .npy image as a float32 CPU tensor with the file's shape (not in any dispose scope: dispose it).</summary>
    public static Tensor ReadTensor(string path, string parameter)
    {
        var image = Read(path, parameter);
        return torch.FromArray(image.Data, image.Shape.Select(s => (long)s).ToArray()).DetachFromDisposeScope();
    }

    /// <summary>A PSF as (bands, h, w): a 2-D PSF (one for every band) gets a leading axis of length 1.</summary>
    public static Tensor ReadPsf(string path, string parameter = "psf")
    {
        var t = ReadTensor(path, parameter);
        if (t.Dim == 3) return t;
        if (t.Dim != 2)
        {
            int axes = (int)t.Dim;
            t.Dispose();
            throw new InvalidSettingException(parameter, $"{path}: a PSF is (h, w) or (bands, h, w); this one has {axes} axes");
        }
        var u = t.Unsqueeze(0).DetachFromDisposeScope();
        t.Dispose();
        return u;
    }

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);

    private static void RequireFile(string path, string parameter)
    {
        if (!File.Exists(path)) throw new InvalidSettingException(parameter, $"{path}: file not found");
    }
}
