using Scorpio.Astro;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Variance ratio (Spagnoletti et al. 2024): per-pixel variance over posterior samples divided by per-pixel
/// variance over prior samples (+1e-10), averaged in a central circular aperture (default radius
/// 30 px, clipped to the largest circle inside the image). Near 0: the data pin the image down;
/// near 1: the posterior is as wide as the prior. It grows as the SNR falls.
/// </summary>
public static class VarianceRatio
{
    /// <summary>Mean of var_post / (var_prior + 1e-10) over pixels within <paramref name="radius"/> px of (W div 2, H div 2), all bands.</summary>
    public static double Compute(PosteriorSamples posterior, PosteriorSamples prior, double radius = 30)
    {
        if (!posterior.ImageShape.SequenceEqual(prior.ImageShape))
            throw new InvalidSettingException("prior", $"samples are ({string.Join(",", prior.ImageShape)}) but posterior samples are ({string.Join(",", posterior.ImageShape)})");
        var vp = posterior.Variance();
        var v0 = prior.Variance();
        int h = posterior.ImageShape[^2], w = posterior.ImageShape[^1], planes = posterior.PixelCount / (h * w);
        int cx = w / 2, cy = h / 2;
        double r = Math.Min(radius, Math.Min(Math.Min(cx, w - 1 - cx), Math.Min(cy, h - 1 - cy)));
        double sum = 0;
        long n = 0;
        for (int b = 0; b < planes; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r * r) continue;
                    int p = b * h * w + y * w + x;
                    sum += vp[p] / (v0[p] + 1e-10);
                    n++;
                }
        return sum / n;
    }
}
