namespace Scorpio.Metrics.Statistics;

/// <summary>
/// One-sample Kolmogorov-Smirnov test against the uniform distribution on [0, 1]: used to check
/// that p-values (PQMass under the null, TARP coverage fractions) are uniform, as they must be
/// when the model is right.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Statistic D = sup |F_n(x) - x| and its asymptotic p-value (Stephens' small-n correction).</summary>
    public static (double D, double PValue) UniformTest(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) throw new ArgumentException("KS test needs at least one value");
        var a = values.ToArray();
        Array.Sort(a);
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Clamp(a[i], 0, 1);
            d = Math.Max(d, Math.Max((i + 1.0) / n - x, x - (double)i / n));
        }
        double sn = Math.Sqrt(n);
        return (d, KolmogorovSurvival((sn + 0.12 + 0.11 / sn) * d));
    }

    /// <summary>Q_KS(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2), the Kolmogorov tail.</summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (lambda < 1e-3) return 1;
        double sum = 0, sign = 1;
        for (int j = 1; j <= 100; j++)
        {
            double term = sign * Math.Exp(-2.0 * j * j * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-12 * Math.Abs(sum)) break;
            sign = -sign;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>
    /// Two-sample, two-sided Kolmogorov-Smirnov test as scipy.stats.ks_2samp with method "auto" (what
    /// scipy.stats.kstest(a, b) calls for two arrays): D = max |F_a - F_b| over the pooled values (right-continuous
    /// empirical CDFs), and for equal sizes n up to 10,000 the exact p-value, the probability that a random lattice path
    /// leaves the band |i - j| &lt; h = round(D n) (Hodges 1957; scipy's _compute_prob_outside_square). Unequal sizes fall
    /// back to the asymptotic Kolmogorov tail at n_eff = n_a n_b / (n_a + n_b) with Stephens' correction.
    /// </summary>
    public static (double D, double PValue) TwoSample(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException("the two-sample KS test needs values in both samples");
        var x = a.ToArray(); var y = b.ToArray();
        Array.Sort(x); Array.Sort(y);
        double d = 0;
        foreach (double v in x.Concat(y))
            d = Math.Max(d, Math.Abs((double)UpperBound(x, v) / x.Length - (double)UpperBound(y, v) / y.Length));
        if (x.Length == y.Length && x.Length <= 10000)
        {
            int n = x.Length, h = (int)Math.Round(d * n);
            if (h == 0) return (0, 1);
            return (h / (double)n, Math.Clamp(ProbabilityOutsideSquare(n, h), 0, 1));
        }
        double en = x.Length * (double)y.Length / (x.Length + y.Length), se = Math.Sqrt(en);
        return (d, KolmogorovSurvival((se + 0.12 + 0.11 / se) * d));
    }

    /// <summary>
    /// P(max |i - j| &gt;= h) for a uniformly random path of n right and n up steps: 2 (A_1 - A_2 + A_3 - ...),
    /// A_k = C(2n, n - k h) / C(2n, n), summed from the innermost term outwards (Horner form, no large binomials).
    /// </summary>
    private static double ProbabilityOutsideSquare(int n, int h)
    {
        double p = 0;
        for (int k = n / h; k >= 0; k--)
        {
            double ratio = 1;
            for (int j = 0; j < h; j++) ratio = (n - k * h - j) * ratio / (n + k * h + j + 1.0);
            p = ratio * (1 - p);
        }
        return 2 * p;
    }

    /// <summary>Number of sorted values &lt;= v (numpy's searchsorted side="right").</summary>
    private static int UpperBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
