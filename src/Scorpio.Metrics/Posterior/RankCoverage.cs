namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Coverage of central credible intervals from ranks, exact for any number of posterior samples. With n samples per
/// posterior, the truth's rank r (samples below it) is uniform on 0..n when the posterior is calibrated (simulation-based
/// calibration, Talts et al. 2018); rank r stands for the probability-integral-transform interval [r, r + 1) / (n + 1).
/// The central p interval covers the part of that interval inside [(1 - p)/2, (1 + p)/2], so the mean over truths is
/// exactly p for a calibrated sampler, even with few samples (quantiles interpolated between 16 sorted samples cover
/// 10/17 = 0.6 of the truths at "68%" even when the posterior is exact).
/// </summary>
public static class RankCoverage
{
    /// <summary>The weight of rank <paramref name="rank"/> of 0..<paramref name="samples"/> inside the central <paramref name="level"/> interval.</summary>
    public static double Weight(double rank, int samples, double level)
    {
        double width = 1.0 / (samples + 1), lo = rank * width, hi = lo + width;
        double a = (1 - level) / 2, b = (1 + level) / 2;
        return Math.Max(0, Math.Min(hi, b) - Math.Max(lo, a)) / width;
    }

    /// <summary>Mean of <see cref="Weight"/> over <paramref name="ranks"/>: the coverage of the central <paramref name="level"/> intervals.</summary>
    public static double Fraction(IReadOnlyList<double> ranks, int samples, double level)
    {
        if (samples < 1) throw new ArgumentException($"ranks need at least one sample per posterior (got {samples})");
        if (!(level > 0 && level < 1)) throw new ArgumentException($"a credible level lies in (0, 1) (got {level})");
        if (ranks.Count == 0) return double.NaN;
        double s = 0;
        foreach (double r in ranks) s += Weight(r, samples, level);
        return s / ranks.Count;
    }
}
