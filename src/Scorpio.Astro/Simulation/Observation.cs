using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// The forward model y = pool_K(psf * x) + noise used to make mock observations: FFT
/// convolution with a centred PSF at the input's pixel scale ("same" size, zero boundary), K x K
/// average pooling, then Gaussian noise of standard deviation sigma or a detector-noise
/// realisation whose read noise is sigma.
/// </summary>
public static class Observation
{
    /// <summary>Observes every (H, W) plane of <paramref name="image"/>.</summary>
    /// <param name="image">(H, W), (N, H, W) or (N, C, H, W) true images</param>
    /// <param name="psf">(h, w) PSF at the input pixel scale (null = no blur); it is used as
    /// given, so normalise it to sum 1 to conserve flux</param>
    /// <param name="pool">pooling factor K >= 1</param>
    /// <param name="sigma">noise standard deviation (white) or read noise (1f, darks), image units</param>
    /// <param name="noise">noise model</param>
    /// <param name="seed">seed of every noise draw</param>
    /// <param name="noiseOptions">detector settings for 1f/darks (scaled so read noise = sigma)</param>
    public static ImageData Observe(ImageData image, ImageData? psf, int pool, double sigma, NoiseKind noise, long seed, DetectorNoiseOptions? noiseOptions = null)
    {
        if (image.Rank < 2) throw new InvalidSettingException("image", $"must be an (H, W) image or a stack of them to observe, got {image}");
        if (!(sigma >= 0)) throw new InvalidSettingException("sigma", $"must be >= 0 (got {sigma})");
        if (pool < 1) throw new InvalidSettingException("pool", $"must be at least 1 (got {pool})");
        if (image.Height % pool != 0 || image.Width % pool != 0)
            throw new InvalidSettingException("pool", $"{pool} does not divide the image's {image.Height}x{image.Width} pixels: crop or pad it to a multiple of {pool}");
        var blurred = image;
        if (psf != null)
        {
            if (psf.PlaneCount != 1 || psf.Rank < 2) throw new InvalidSettingException("psf", $"must be a single 2-D image, got {psf}");
            blurred = new FftConvolver(psf, image.Height, image.Width).ConvolvePlanes(image);
        }
        var pooled = pool == 1 ? (psf != null ? blurred : blurred.Clone()) : AveragePooling.Apply(blurred, pool);
        if (sigma == 0) return pooled;
        if (noise == NoiseKind.White)
        {
            int hw = pooled.Height * pooled.Width;
            Parallel.For(0, pooled.PlaneCount, p => new SeededRandom(seed, p).AddGaussian(pooled.Data.AsSpan(p * hw, hw), sigma));
        }
        else
        {
            var options = (noiseOptions ?? new DetectorNoiseOptions()).WithReadNoise(sigma);
            new NoiseSimulator(options).AddTo(pooled, noise, seed);
        }
        return pooled;
    }
}
