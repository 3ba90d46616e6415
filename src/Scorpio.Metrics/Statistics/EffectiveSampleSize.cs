namespace Scorpio.Metrics.Statistics;

/// <summary>
/// Effective sample size of Markov chains: how many independent draws M chains of N correlated draws are worth for
/// estimating a mean. The multi-chain estimator of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021, eqs. 10-11, as
/// in Stan and ArviZ's ess "bulk" without the rank normalisation): autocovariances per chain (FFT-free direct sums, so
/// O(N^2) worst case but truncated early), combined with the between-chain variance into
/// rho_t = 1 - (W - mean_m gamma_{m,t}) / var+, var+ = (N-1)/N W + B/N, and summed with Geyer's (1992) initial positive
/// and monotone sequence: tau = -1 + 2 sum_{k} P_k, P_k = rho_2k + rho_2k+1 while positive and non-increasing.
/// ESS = M N / tau. For an AR(1) chain x_t = phi x_t-1 + e_t, tau = (1 + phi) / (1 - phi).
/// </summary>
public static class EffectiveSampleSize
{
    /// <summary>
    /// ESS of <paramref name="chains"/>[m][n] (M chains of equal length N &gt;= 4). Identical constant chains give M N
    /// (nothing varies); chains stuck at different values give M N / (2 N - 1), about M / 2: the between-chain spread is
    /// all the information there is.
    /// </summary>
    public static double Compute(IReadOnlyList<IReadOnlyList<double>> chains)
    {
        int m = chains.Count;
        if (m == 0) throw new ArgumentException("ESS needs at least one chain");
        int n = chains[0].Count;
        if (n < 4) throw new ArgumentException($"ESS needs chains of at least 4 draws (got {n})");
        if (chains.Any(c => c.Count != n)) throw new ArgumentException("every chain must have the same length");

        var means = new double[m];
        var autocov = new double[m][];      // gamma_{m,t} with divisor N (biased, positive definite)
        for (int c = 0; c < m; c++)
        {
            means[c] = Descriptive.Mean(chains[c]);
            autocov[c] = new double[n];
        }
        double withinUnbiased = 0;          // W: mean of the chains' variances with divisor N - 1
        for (int c = 0; c < m; c++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += (chains[c][i] - means[c]) * (chains[c][i] - means[c]);
            withinUnbiased += s / (n - 1);
            autocov[c][0] = s / n;
        }
        withinUnbiased /= m;
        double between = m > 1 ? n * Descriptive.Variance(means, 1) : 0;   // B
        double varPlus = (n - 1.0) / n * withinUnbiased + between / n;
        if (!(varPlus > 0)) return (double)m * n;

        double Rho(int t)
        {
            double mean = 0;
            for (int c = 0; c < m; c++)
            {
                if (t > 0)
                {
                    double s = 0;
                    var x = chains[c];
                    for (int i = 0; i + t < n; i++) s += (x[i] - means[c]) * (x[i + t] - means[c]);
                    autocov[c][t] = s / n;
                }
                mean += autocov[c][t];
            }
            mean /= m;
            return 1 - (withinUnbiased - mean) / varPlus;
        }

        // Geyer's initial positive sequence, made monotone: P_k = rho_2k + rho_2k+1.
        double sum = 0, previous = double.PositiveInfinity;
        for (int k = 0; 2 * k + 1 < n; k++)
        {
            double p = Rho(2 * k) + Rho(2 * k + 1);
            if (!(p > 0)) break;
            p = Math.Min(p, previous);
            sum += p;
            previous = p;
        }
        double tau = Math.Max(-1 + 2 * sum, 1.0 / Math.Log10(m * (double)n));   // Stan's floor: ESS at most M N log10(M N)
        return m * (double)n / tau;
    }
}
