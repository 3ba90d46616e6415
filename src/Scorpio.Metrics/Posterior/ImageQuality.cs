using Scorpio.Astro;
using Scorpio.Metrics.Morphology;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Full-reference image quality against a truth: PSNR = 10 log10(L^2 / MSE) in dB and the mean SSIM
/// of Wang et al. (2004) with an 11-tap Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03 and data
/// range L, averaged over the pixels where the window fits (as skimage's structural_similarity with
/// gaussian_weights=True and population covariances).
/// </summary>
public static class ImageQuality
{
    /// <summary>Peak signal-to-noise ratio in dB; +infinity for identical images.</summary>
    public static double Psnr(IReadOnlyList<double> truth, IReadOnlyList<double> estimate, double dataRange)
    {
        if (truth.Count != estimate.Count) throw new ArgumentException($"images differ in size ({truth.Count} vs {estimate.Count})");
        double mse = 0;
        for (int i = 0; i < truth.Count; i++) mse += (truth[i] - estimate[i]) * (truth[i] - estimate[i]);
        mse /= truth.Count;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(dataRange * dataRange / mse);
    }

    /// <summary>Mean SSIM of two H x W images (row-major); 1 for identical images.</summary>
    public static double Ssim(double[] truth, double[] estimate, int height, int width, double dataRange)
    {
        if (truth.Length != height * width || estimate.Length != height * width)
            throw new ArgumentException($"SSIM: images must both be {height}x{width}");
        const int win = 11;
        if (height < win || width < win) throw new UserInputException($"SSIM needs images of at least {win}x{win} px, got {height}x{width}");
        double c1 = Math.Pow(0.01 * dataRange, 2), c2 = Math.Pow(0.03 * dataRange, 2);
        var k = ImageFilters.GaussianKernel(1.5, 5);
        double[] Filter(Func<int, double> f)
        {
            var img = new double[height * width];
            for (int i = 0; i < img.Length; i++) img[i] = f(i);
            return ImageFilters.Separable(img, height, width, k);
        }
        var mx = Filter(i => truth[i]);
        var my = Filter(i => estimate[i]);
        var mxx = Filter(i => truth[i] * truth[i]);
        var myy = Filter(i => estimate[i] * estimate[i]);
        var mxy = Filter(i => truth[i] * estimate[i]);
        double sum = 0;
        int n = 0;
        // Only pixels whose whole window lies inside the image (border of 5 px cropped).
        for (int y = 5; y < height - 5; y++)
            for (int x = 5; x < width - 5; x++)
            {
                int i = y * width + x;
                double vx = mxx[i] - mx[i] * mx[i], vy = myy[i] - my[i] * my[i], cxy = mxy[i] - mx[i] * my[i];
                sum += (2 * mx[i] * my[i] + c1) * (2 * cxy + c2) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
                n++;
            }
        return sum / n;
    }
}
