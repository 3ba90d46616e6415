using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Baselines;

/// <summary>What the classical deconvolutions share: the checks of the image and PSF, and the PSF normalised to sum 1 as an FFT convolver on the image's grid.</summary>
internal static class DeconvolutionSetup
{
    /// <summary>A convolver by the normalised PSF for (H, W) planes of <paramref name="observed"/>; errors name the parameter.</summary>
    public static FftConvolver Convolver(ImageData observed, ImageData psf)
    {
        if (observed.Rank < 2) throw new InvalidSettingException("observed", $"must be an (H, W) image or a stack of them to deconvolve, got {observed}");
        if (psf.PlaneCount != 1 || psf.Rank < 2) throw new InvalidSettingException("psf", $"must be a single 2-D image, got {psf}");
        double psfSum = psf.Data.Sum(v => (double)v);
        if (!(psfSum > 0)) throw new InvalidSettingException("psf", $"must have a positive sum (got {psfSum:G4})");
        // A normalised PSF keeps the flux of the estimate equal to that of the data.
        var kernel = psf.Data.Select(v => (float)(v / psfSum)).ToArray();
        return new FftConvolver(kernel, psf.Height, psf.Width, observed.Height, observed.Width);
    }
}
