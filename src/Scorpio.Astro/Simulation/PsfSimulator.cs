using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// Analytic PSF stamps: Gaussian, Moffat and Airy profiles of a requested FWHM (pixels), on an
/// odd square grid centred on the middle pixel, normalised to sum 1 over the stamp (so
/// convolution conserves flux). With <c>supersample</c> K > 1 each pixel is the mean of K x K
/// sub-samples, i.e. the profile integrated over the pixel, which matters when FWHM is only a
/// few pixels (it broadens the core as a real detector pixel does).
/// </summary>
public static class PsfSimulator
{
    /// <summary>Moffat beta used when none is given (Trujillo et al. 2001 fit to turbulence theory).</summary>
    public const double DefaultMoffatBeta = 4.765;

    /// <summary>Airy FWHM in units of lambda/D.</summary>
    public const double AiryFwhmOverLambdaD = 1.0289939;

    /// <summary>A (size, size) PSF image, sum 1.</summary>
    /// <param name="model">profile shape</param>
    /// <param name="fwhm">full width at half maximum, pixels (> 0)</param>
    /// <param name="size">stamp side, pixels, odd so the peak is on a pixel centre</param>
    /// <param name="beta">Moffat power-law index (> 1); ignored by other models</param>
    /// <param name="supersample">sub-samples per pixel side for pixel integration (>= 1)</param>
    public static ImageData Create(PsfModel model, double fwhm, int size, double beta = DefaultMoffatBeta, int supersample = 1)
    {
        if (!(fwhm > 0) || double.IsInfinity(fwhm)) throw new InvalidSettingException("fwhm", $"must be a positive number of pixels (got {fwhm})");
        if (size < 1 || size % 2 == 0) throw new InvalidSettingException("size", $"must be odd and positive so the centre falls on a pixel (got {size}; use {Math.Max(1, size + 1 - size % 2)})");
        if (supersample < 1) throw new InvalidSettingException("supersample", $"must be at least 1 (got {supersample})");
        if (model == PsfModel.Moffat && !(beta > 1)) throw new InvalidSettingException("beta", $"must be > 1 for a Moffat PSF of finite flux (got {beta})");

        Func<double, double> profile = model switch
        {
            PsfModel.Gaussian => GaussianProfile(fwhm),
            PsfModel.Moffat => MoffatProfile(fwhm, beta),
            PsfModel.Airy => AiryProfile(fwhm),
            _ => throw new ArgumentOutOfRangeException(nameof(model), $"unknown PSF model {model}"),
        };
        var data = new float[size * size];
        int c = size / 2;
        double sum = 0;
        var values = new double[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double acc = 0;
                for (int sy = 0; sy < supersample; sy++)
                {
                    double dy = y - c + (sy + 0.5) / supersample - 0.5;
                    for (int sx = 0; sx < supersample; sx++)
                    {
                        double dx = x - c + (sx + 0.5) / supersample - 0.5;
                        acc += profile(Math.Sqrt(dx * dx + dy * dy));
                    }
                }
                values[y * size + x] = acc;
                sum += acc;
            }
        }
        for (int i = 0; i < values.Length; i++) data[i] = (float)(values[i] / sum);
        return new ImageData(data, size, size);
    }

    private static Func<double, double> GaussianProfile(double fwhm)
    {
        double sigma = fwhm / (2 * Math.Sqrt(2 * Math.Log(2)));
        double inv = 1.0 / (2 * sigma * sigma);
        return r => Math.Exp(-r * r * inv);
    }

    private static Func<double, double> MoffatProfile(double fwhm, double beta)
    {
        double alpha = fwhm / (2 * Math.Sqrt(Math.Pow(2, 1 / beta) - 1));
        return r => Math.Pow(1 + (r / alpha) * (r / alpha), -beta);
    }

    private static Func<double, double> AiryProfile(double fwhm)
    {
        // x = pi r D / lambda, with lambda/D = fwhm / 1.029 pixels.
        double k = Math.PI * AiryFwhmOverLambdaD / fwhm;
        return r =>
        {
            double x = k * r;
            if (x < 1e-8) return 1.0;
            double j = 2 * SpecialFunctions.BesselJ1(x) / x;
            return j * j;
        };
    }
}
