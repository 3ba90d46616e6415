using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Torch;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// The linear-Gaussian test problems: an 8x8 image with a Gaussian prior (a blob-shaped mean, squared-exponential
/// covariance with amplitude 0.5 and length 1.5 px, plus 1e-3 on the diagonal), observed through the identity,
/// a Gaussian PSF (FWHM 2 px, 5x5) or that PSF followed by 2x2 average pooling, with white noise.
/// </summary>
internal static class LinearGaussianSetup
{
    public static readonly long[] Shape = [1, 8, 8];

    public static GaussianPriorScore Prior(Sde sde) => BlobPrior(8, 0.8, 2.0, 0.25, 1.5, sde);

    /// <summary>
    /// A Gaussian prior on (1, size, size) images: mean a centred Gaussian blob (amplitude, width in px), covariance
    /// squared-exponential (amplitude, length in px) plus 1e-3 on the diagonal.
    /// </summary>
    public static GaussianPriorScore BlobPrior(int size, double meanAmplitude, double meanWidth, double covAmplitude, double covLength, Sde sde)
    {
        int h = size, w = size, n = h * w;
        double centre = (size - 1) / 2.0;
        var mean = new double[n];
        var cov = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            double yi = i / w - centre, xi = i % w - centre;
            mean[i] = meanAmplitude * Math.Exp(-(xi * xi + yi * yi) / (2 * meanWidth * meanWidth));
            for (int j = 0; j < n; j++)
            {
                double dy = i / w - j / w, dx = i % w - j % w;
                cov[i * n + j] = covAmplitude * Math.Exp(-(dx * dx + dy * dy) / (2 * covLength * covLength)) + (i == j ? 1e-3 : 0);
            }
        }
        using var m = torch.FromArray(mean, n);
        using var c = torch.FromArray(cov, n, n);
        return new GaussianPriorScore(m, c, [1, size, size], sde);
    }

    public static ForwardOperator Operator(string name)
    {
        using var psf = Psf.FromModel(PsfModel.Gaussian, 2.0, 5);
        return name switch
        {
            "identity" => new IdentityOperator(Shape),
            "psf" => new PsfConvolution(psf, Shape),
            "psf+pool" => new Compose(new PsfConvolution(psf, Shape), new AveragePooling(2, Shape)),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>A truth drawn from the prior and its noisy observation (float64, (C', H', W')).</summary>
    public static (Tensor Truth, Tensor Observation) Observe(GaussianPriorScore prior, ForwardOperator op, double sigma, ulong seed)
    {
        using var rng = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        var truth = prior.Draw(1, rng).To(DType.Float64);
        var clean = op.Apply(truth);
        var y = clean.Add(torch.RandnLike(clean, rng), sigma).Squeeze(0);
        return (truth.Squeeze(0).MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Largest |mean difference| in units of the closed-form posterior standard deviation of each pixel.</summary>
    public static double MeanZ(Tensor mean, Tensor reference, Tensor covariance)
    {
        using var scope = torch.NewDisposeScope();
        var sd = torch.Diagonal(covariance).Sqrt();
        return mean.To(DType.Float64).Reshape(-1).Sub(reference).Div(sd).Abs().Max().ToDouble();
    }

    /// <summary>||S - C||_F / ||C||_F.</summary>
    public static double CovarianceError(Tensor s, Tensor c)
    {
        using var scope = torch.NewDisposeScope();
        return s.Sub(c).Norm().ToDouble() / c.Norm().ToDouble();
    }

    /// <summary>
    /// Agreement of samples with a Gaussian reference N(m, C): the largest per-pixel mean error in units of the
    /// reference's standard deviation (Monte Carlo: ~N(0, 1/N) per pixel), the whitened variance ratio
    /// tr(C^-1 S)/n (1 +- sqrt(2/(n N))), and the variance ratio of the total flux (1 +- sqrt(2/N)).
    /// </summary>
    public static (double MeanZ, double WhitenedVariance, double FluxVariance) Compare(Tensor samples, Tensor mean, Tensor covariance)
    {
        using var scope = torch.NewDisposeScope();
        var (m, s) = Moments(samples);
        double meanZ = MeanZ(m, mean, covariance);
        long n = mean.Size(0);
        double whitened = torch.Solve(covariance, s).Diagonal0().Sum().ToDouble() / n;
        var ones = torch.Ones([n, 1], DType.Float64);
        double flux = ones.MT.Matmul(s).Matmul(ones).ToDouble() / ones.MT.Matmul(covariance).Matmul(ones).ToDouble();
        return (meanZ, whitened, flux);
    }

    private static Tensor Diagonal0(this Tensor m) => torch.Diagonal(m);

    /// <summary>Sample mean (n,) and covariance (n, n) of a batch (B, C, H, W), float64.</summary>
    public static (Tensor Mean, Tensor Covariance) Moments(Tensor samples)
    {
        using var scope = torch.NewDisposeScope();
        var flat = samples.To(DType.Float64).Reshape(samples.Size(0), -1);
        var mean = flat.Mean(0);
        var c = flat.Sub(mean);
        var cov = c.MT.Matmul(c).Div(samples.Size(0) - 1.0);
        return (mean.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope());
    }
}
