using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Simulation;
using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Point-spread functions as (C, Kh, Kw) float32 host tensors: loaded from FITS or drawn from a model,
/// checked, normalised to unit sum per plane (so convolution conserves flux) and, when the PSF is
/// sampled more finely than the model grid (a supersampled PSF, e.g. the 4x HST library of Adam et al. 2023),
/// binned to the model grid. The PSF centre is the pixel (Kh/2, Kw/2) (integer division), as for
/// numpy's fftshift convention; odd sizes put it on the middle pixel.
/// </summary>
public static class Psf
{
    /// <summary>
    /// Reads a PSF from a FITS file: a (Kh, Kw) image, or (C, Kh, Kw) with one plane per band. NaN or infinite
    /// pixels, an all-zero PSF or other ranks are user errors naming the file.
    /// </summary>
    public static Tensor Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"PSF file '{path}' does not exist");
        var image = FitsFile.Read(path);
        return FromImage(image, path);
    }

    /// <summary>A PSF from an <see cref="ImageData"/> of shape (Kh, Kw), (C, Kh, Kw) or (1, C, Kh, Kw); <paramref name="source"/> names it in errors.</summary>
    public static Tensor FromImage(ImageData image, string source = "PSF")
    {
        var s = image.Shape;
        long[] shape = s.Length switch
        {
            2 => [1, s[0], s[1]],
            3 => [s[0], s[1], s[2]],
            4 when s[0] == 1 => [s[1], s[2], s[3]],
            _ => throw new UserInputException($"{source}: a PSF is a 2-D image (or one plane per band, C x H x W); this one has shape {string.Join("x", s)}"),
        };
        foreach (var v in image.Data)
            if (!float.IsFinite(v)) throw new UserInputException($"{source}: the PSF contains NaN or infinite pixels; fill them (e.g. with 0) before use");
        return torch.FromArray(image.Data, shape);
    }

    /// <summary>An analytic PSF (Gaussian, Moffat or Airy) of <paramref name="fwhm"/> pixels on a <paramref name="size"/>-pixel odd stamp, shape (1, size, size).</summary>
    public static Tensor FromModel(PsfModel model, double fwhm, int size, double beta = PsfSimulator.DefaultMoffatBeta, int pixelIntegration = 1)
    {
        var image = PsfSimulator.Create(model, fwhm, size, beta, pixelIntegration);
        return torch.FromArray(image.Data, 1, size, size);
    }

    /// <summary>Each plane divided by its sum (computed in float64; the result keeps the input's dtype). A plane whose sum is not positive is a user error.</summary>
    public static Tensor Normalise(Tensor psf, string source = "PSF")
    {
        using var f = psf.To(DType.Float64);
        using var sums = f.Sum([1, 2], keepDim: true);
        foreach (var v in sums.ToDoubleArray())
            if (!(v > 0) || !double.IsFinite(v))
                throw new UserInputException($"{source}: a PSF plane sums to {v}; a PSF must have a positive total (it is normalised to sum 1)");
        using var n = f.Div(sums);
        return n.To(psf.DType);
    }

    /// <summary>
    /// Sums <paramref name="factor"/> x <paramref name="factor"/> blocks of a supersampled PSF, choosing the blocks
    /// so that the fine centre pixel falls in the coarse centre pixel (for even factors the coarse centre is
    /// offset by half a fine pixel, 1/(2 factor) of a coarse pixel, which no integer binning can avoid).
    /// The result is re-centred and zero-padded so its centre is again at (K'/2, K'/2).
    /// </summary>
    public static Tensor Bin(Tensor psf, int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), $"binning factor must be >= 1 (got {factor})");
        if (factor == 1) return psf.Clone();
        long c0 = psf.Size(0), kh = psf.Size(1), kw = psf.Size(2);
        var (top, hOut, hCentre) = BlockLayout(kh, factor);
        var (left, wOut, wCentre) = BlockLayout(kw, factor);
        using var padded = torch.Pad(psf, [left, wOut * factor - kw - left, top, hOut * factor - kh - top]);
        using var blocks = padded.Reshape(c0, hOut, factor, wOut, factor);
        using var binned = blocks.Sum([2, 4]);
        // Re-centre: pad the shorter side so the centre block sits at index K'/2.
        var (padTop, padBottom) = CentrePadding(hCentre, hOut);
        var (padLeft, padRight) = CentrePadding(wCentre, wOut);
        return torch.Pad(binned, [padLeft, padRight, padTop, padBottom]);
    }

    /// <summary>
    /// Prepares a PSF sampled <paramref name="psfSupersample"/> times finer than the observation's pixels for a
    /// model grid <paramref name="modelSupersample"/> times finer than the observation (the pooling factor):
    /// normalises it and bins it by psfSupersample / modelSupersample. The ratio must be a whole number.
    /// </summary>
    public static Tensor ForModelGrid(Tensor psf, int psfSupersample, int modelSupersample, string source = "PSF")
    {
        if (psfSupersample < 1) throw new UserInputException($"{source}: the PSF supersampling factor must be >= 1 (got {psfSupersample})");
        if (psfSupersample % modelSupersample != 0)
            throw new UserInputException($"{source}: the PSF is sampled {psfSupersample}x finer than the observation but the model grid is {modelSupersample}x finer (--pool {modelSupersample}); " +
                "the PSF must be sampled at the model grid or an integer multiple of it (e.g. a 4x supersampled PSF works with --pool 1, 2 or 4)");
        using var normalised = Normalise(psf, source);
        using var binned = Bin(normalised, psfSupersample / modelSupersample);
        return Normalise(binned, source);
    }

    // Blocks start at (centre - factor/2) modulo factor, so the centre pixel sits at position factor/2 of its block.
    private static (long Before, long Blocks, long CentreBlock) BlockLayout(long k, int factor)
    {
        long c = k / 2;
        long start = ((c - factor / 2) % factor + factor) % factor;
        long before = (factor - start) % factor;
        long blocks = (k + before + factor - 1) / factor;
        return (before, blocks, (c + before) / factor);
    }

    // Pads to an odd size whose middle pixel is the centre: before + centre = after + (size - 1 - centre).
    private static (long Before, long After) CentrePadding(long centre, long size)
    {
        long right = size - 1 - centre;
        return (Math.Max(0, right - centre), Math.Max(0, centre - right));
    }
}
