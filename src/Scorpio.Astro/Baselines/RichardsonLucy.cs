using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Baselines;

/// <summary>
/// Richardson-Lucy deconvolution, the classical maximum-likelihood baseline for Poisson data:
/// x_{k+1} = x_k * P^T (y / (P x_k)), started from a flat image of the data's mean, with the
/// same zero-boundary "same" convolution as the simulator's forward model and its exact adjoint.
/// Optional damping (White 1994) and non-negativity; see <see cref="RichardsonLucyOptions"/>.
/// </summary>
public static class RichardsonLucy
{
    private const int DampingPower = 10;

    /// <summary>Deconvolves every (H, W) plane of <paramref name="observed"/> by <paramref name="psf"/>.</summary>
    public static ImageData Deconvolve(ImageData observed, ImageData psf, RichardsonLucyOptions? options = null)
    {
        var o = options ?? new RichardsonLucyOptions();
        o.Validate();
        var conv = DeconvolutionSetup.Convolver(observed, psf);
        int h = observed.Height, w = observed.Width, hw = h * w;
        var output = new ImageData(observed.Shape);
        Parallel.For(0, observed.PlaneCount, p =>
            DeconvolvePlane(conv, observed.Data.AsSpan(p * hw, hw), output.Data.AsSpan(p * hw, hw), o));
        return output;
    }

    private static void DeconvolvePlane(FftConvolver conv, ReadOnlySpan<float> data, Span<float> result, RichardsonLucyOptions o)
    {
        int n = data.Length;
        var y = new float[n];
        double shift = 0;
        if (o.NonNegative)
        {
            for (int i = 0; i < n; i++) y[i] = Math.Max(0f, data[i]);
        }
        else
        {
            float min = float.MaxValue;
            foreach (var v in data) min = Math.Min(min, v);
            shift = Math.Max(0, -min);
            for (int i = 0; i < n; i++) y[i] = (float)(data[i] + shift);
        }
        double mean = 0;
        foreach (var v in y) mean += v;
        mean /= n;
        var x = new float[n];
        if (!(mean > 0))
        {
            result.Fill((float)-shift);
            return;
        }
        Array.Fill(x, (float)mean);
        // The adjoint applied to ones: P^T 1 is < 1 near the border (zero boundary); dividing by
        // it keeps RL flux-conserving there.
        var ones = new float[n];
        Array.Fill(ones, 1f);
        var norm = new float[n];
        conv.Correlate(ones, norm);
        var model = new float[n];
        var ratio = new float[n];
        var correction = new float[n];
        double eps = 1e-12 * Math.Max(1, mean);
        double t2 = o.DampingThreshold is { } t ? t * t : 0;
        for (int it = 0; it < o.Iterations; it++)
        {
            conv.Convolve(x, model);
            for (int i = 0; i < n; i++)
            {
                double m = Math.Max(model[i], eps);
                if (t2 > 0)
                {
                    double r = y[i] - m;
                    double u = Math.Min(1, r * r / t2);
                    ratio[i] = (float)(1 + Math.Pow(u, DampingPower - 1) * (DampingPower - (DampingPower - 1) * u) * r / m);
                }
                else ratio[i] = (float)(y[i] / m);
            }
            conv.Correlate(ratio, correction);
            for (int i = 0; i < n; i++)
                x[i] = Math.Max(0f, x[i] * correction[i] / Math.Max(norm[i], 1e-6f));
        }
        for (int i = 0; i < n; i++) result[i] = (float)(x[i] - shift);
    }
}
