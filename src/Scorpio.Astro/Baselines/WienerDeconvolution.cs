using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Baselines;

/// <summary>
/// Wiener deconvolution: X = conj(H) Y / (|H|^2 + NSR), with H the PSF's transfer function and
/// NSR the noise-to-signal power ratio (a constant over frequency; larger = smoother). The image is
/// mirror-extended to the FFT grid so the implied periodic boundary has no jump (limits ringing).
/// </summary>
public static class WienerDeconvolution
{
    /// <summary>Deconvolves every (H, W) plane of <paramref name="observed"/>.</summary>
    /// <param name="observed">(H, W), (N, H, W) or (N, C, H, W)</param>
    /// <param name="psf">(h, w) centred PSF; normalised to sum 1 internally</param>
    /// <param name="noiseToSignal">noise-to-signal power ratio, > 0 (e.g. 1e-3 to 1e-1)</param>
    public static ImageData Deconvolve(ImageData observed, ImageData psf, double noiseToSignal)
    {
        if (!(noiseToSignal > 0)) throw new InvalidSettingException("noiseToSignal", $"must be > 0 (got {noiseToSignal})");
        var conv = DeconvolutionSetup.Convolver(observed, psf);
        int h = observed.Height, w = observed.Width, hw = h * w;
        int hp = conv.PaddedHeight, wp = conv.PaddedWidth;
        var otfRe = conv.TransferRe.ToArray();
        var otfIm = conv.TransferIm.ToArray();
        var output = new ImageData(observed.Shape);
        Parallel.For(0, observed.PlaneCount, p =>
        {
            var src = observed.Data.AsSpan(p * hw, hw);
            var re = new double[hp * wp];
            var im = new double[hp * wp];
            for (int y = 0; y < hp; y++)
            {
                int sy = Mirror(y, h, hp);
                for (int x = 0; x < wp; x++) re[y * wp + x] = src[sy * w + Mirror(x, w, wp)];
            }
            Fft2D.Forward(re, im, hp, wp);
            for (int i = 0; i < re.Length; i++)
            {
                double hr = otfRe[i], hi = otfIm[i], yr = re[i], yi = im[i];
                double denom = hr * hr + hi * hi + noiseToSignal;
                re[i] = (hr * yr + hi * yi) / denom;
                im[i] = (hr * yi - hi * yr) / denom;
            }
            Fft2D.Inverse(re, im, hp, wp);
            var dst = output.Data.AsSpan(p * hw, hw);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) dst[y * w + x] = (float)re[y * wp + x];
        });
        return output;
    }

    /// <summary>Source index for padded index i: the image for i &lt; n, then a reflection of the far
    /// edge that turns into a reflection of the near edge half-way, so the periodic wrap is smooth.</summary>
    private static int Mirror(int i, int n, int padded)
    {
        if (i < n) return i;
        int pastEnd = i - n, beforeStart = padded - i;
        int j = pastEnd < beforeStart ? n - 1 - pastEnd : beforeStart - 1;
        return Math.Clamp(j, 0, n - 1);
    }
}
