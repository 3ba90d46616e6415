using Scorpio.Metrics.Posterior;
using Scorpio.Torch;

namespace Scorpio.Tests.Calibration;

/// <summary>
/// Calibration of posterior samples of N simulated (x, y) pairs, S samples each, against the truths and, where known, the
/// exact Gaussian posterior:
/// <list type="bullet">
/// <item>Coverage of central credible intervals from ranks (<see cref="RankCoverage"/>, as scorpio calibrate): R = number of
/// samples below the true pixel is uniform on {0..S} for a calibrated posterior, so the expected coverage is exactly p for any S (empirical quantiles of S samples would under-cover: a 95% interval of 32 samples
/// holds ~89%).</item>
/// <item>z-scores of the truth, (x - mean) / sd over the samples; for a calibrated Gaussian posterior their standard deviation is
/// sqrt((1 + 1/S)(S - 1)/(S - 3)) (a scaled Student t), reported as a ratio to that (1 = calibrated).</item>
/// <item>Whitened variance: the within-pair sample covariance against the exact posterior covariance, tr(Sigma^-1 S) / n (1 =
/// right spread), and the whitened mean error S |Q (mean - m_post)|^2 / n (1 = the Monte Carlo error of S exact samples; a bias
/// adds to it).</item>
/// </list>
/// </summary>
internal sealed record TierStatistics(double Coverage50, double Coverage68, double Coverage95, double ZMean, double ZStdRatio,
    double WhitenedVariance, double WhitenedMeanError)
{
    /// <param name="samples">(N S, ...) samples, pair-major (pair i holds items i S .. i S + S - 1).</param>
    /// <param name="perPair">S.</param>
    /// <param name="truths">(N, ...) true images.</param>
    /// <param name="exact">the exact posterior (its means from the observations <paramref name="observations"/>), or null.</param>
    /// <param name="observations">(N, ...) observations, for the exact means.</param>
    public static TierStatistics Compute(Tensor samples, int perPair, Tensor truths, DenseGaussianPosterior? exact, Tensor? observations)
    {
        using var scope = torch.NewDisposeScope();
        long pairs = truths.Size(0), s = perPair;
        var x = samples.To(DType.Float64).Reshape(pairs, s, -1);             // (N, S, n)
        var truth = truths.To(DType.Float64).Reshape(pairs, 1, -1);          // (N, 1, n)
        long n = x.Size(2);
        double[] ranks = x.Lt(truth).To(DType.Float64).Sum([1]).Reshape(-1).ToArray<double>();   // N n ranks in 0..S
        double Coverage(double p) => RankCoverage.Fraction(ranks, perPair, p);
        var mean = x.Mean([1]);                                              // (N, n)
        var sd = x.Sub(mean.Unsqueeze(1)).Square().Sum([1]).Div(s - 1.0).Sqrt();
        var z = truth.Squeeze(1).Sub(mean).Div(sd.Clamp(1e-300));
        double zMean = z.Mean().ToDouble();
        double zStd = z.Square().Mean().Sub(zMean * zMean).Sqrt().ToDouble();
        double expected = Math.Sqrt((1 + 1.0 / s) * (s - 1.0) / (s - 3.0));
        double whitened = double.NaN, meanError = double.NaN;
        if (exact is not null && observations is not null)
        {
            var q = exact.Whitener;
            var residuals = x.Sub(mean.Unsqueeze(1)).Reshape(pairs * s, n).Matmul(q.MT);
            whitened = residuals.Square().Sum().ToDouble() / (pairs * (s - 1.0) * n);
            var bias = mean.Sub(exact.Mean(observations)).Matmul(q.MT);
            meanError = bias.Square().Sum().ToDouble() * s / (pairs * n);
        }
        return new TierStatistics(Coverage(0.5), Coverage(0.68), Coverage(0.95), zMean, zStd / expected, whitened, meanError);
    }

    public override string ToString() =>
        $"coverage 50/68/95: {Coverage50:F3}/{Coverage68:F3}/{Coverage95:F3}, z mean {ZMean:+0.000;-0.000}, z sd ratio {ZStdRatio:F3}, " +
        $"whitened variance {WhitenedVariance:F3}, whitened mean error {WhitenedMeanError:F2}";
}
