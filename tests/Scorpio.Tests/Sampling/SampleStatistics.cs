using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>Host-side statistics of small-dimensional sample sets (double precision).</summary>
internal static class SampleStatistics
{
    public static double[][] Rows(Tensor x)
    {
        long n = x.Size(0);
        int d = (int)(x.Numel / n);
        var flat = x.ToDoubleArray();
        return Enumerable.Range(0, (int)n).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
    }

    public static (double[] Mean, double[,] Cov) Moments(double[][] x)
    {
        int n = x.Length, d = x[0].Length;
        var m = new double[d];
        foreach (var r in x) for (int j = 0; j < d; j++) m[j] += r[j] / n;
        var c = new double[d, d];
        foreach (var r in x)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) c[i, j] += (r[i] - m[i]) * (r[j] - m[j]) / (n - 1);
        return (m, c);
    }

    /// <summary>Lower Cholesky factor of a small SPD matrix.</summary>
    public static double[,] Cholesky(double[,] a)
    {
        int d = a.GetLength(0);
        var l = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(s) : s / l[j, j];
            }
        return l;
    }

    private static double[] SolveLower(double[,] l, double[] b)
    {
        int d = b.Length;
        var y = new double[d];
        for (int i = 0; i < d; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i, k] * y[k];
            y[i] = s / l[i, i];
        }
        return y;
    }

    /// <summary>
    /// Errors in the target's whitened coordinates w = L^{-1}(x - m), C = L L^T: |mean(w)| and |cov(w) - I|_F.
    /// For n exact draws, n |mean(w)|^2 ~ chi2_D and n |cov(w) - I|_F^2 ~ about 2 chi2_{D(D+1)/2}.
    /// </summary>
    public static (double MeanError, double CovError) WhitenedErrors(double[][] x, double[] mean, double[,] cov)
    {
        var l = Cholesky(cov);
        var w = x.Select(r => SolveLower(l, r.Select((v, j) => v - mean[j]).ToArray())).ToArray();
        var (m, c) = Moments(w);
        int d = mean.Length;
        double me = Math.Sqrt(m.Sum(v => v * v)), ce = 0;
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) ce += Math.Pow(c[i, j] - (i == j ? 1 : 0), 2);
        return (me, Math.Sqrt(ce));
    }

    /// <summary>
    /// Whitened distances between two (mean, covariance) pairs under the reference covariance C = L L^T:
    /// |L^{-1}(m1 - m2)| and |L^{-1}(C1 - C2)L^{-T}|_F.
    /// </summary>
    public static (double MeanError, double CovError) WhitenedDistance(double[] m1, double[,] c1, double[] m2, double[,] c2, double[,] reference)
    {
        var l = Cholesky(reference);
        int d = m1.Length;
        var dm = SolveLower(l, m1.Select((v, j) => v - m2[j]).ToArray());
        // W (C1 - C2) W^T column by column: solve L Y = (C1 - C2), then L Z = Y^T.
        var y = new double[d, d];
        for (int c = 0; c < d; c++)
        {
            var col = SolveLower(l, Enumerable.Range(0, d).Select(r => c1[r, c] - c2[r, c]).ToArray());
            for (int r = 0; r < d; r++) y[r, c] = col[r];
        }
        double ce = 0;
        for (int r = 0; r < d; r++)
        {
            var row = SolveLower(l, Enumerable.Range(0, d).Select(c => y[r, c]).ToArray());
            ce += row.Sum(v => v * v);
        }
        return (Math.Sqrt(dm.Sum(v => v * v)), Math.Sqrt(ce));
    }

    /// <summary>Frechet (2-Wasserstein between Gaussian fits) distance squared of two 2-D sample sets.</summary>
    public static double Frechet2D(double[][] a, double[][] b)
    {
        var (ma, ca) = Moments(a);
        var (mb, cb) = Moments(b);
        double dm = Math.Pow(ma[0] - mb[0], 2) + Math.Pow(ma[1] - mb[1], 2);
        // tr (Ca Cb)^{1/2} = sqrt(tr(Ca Cb) + 2 sqrt(det(Ca Cb))) for 2x2 SPD matrices.
        double trProd = ca[0, 0] * cb[0, 0] + ca[0, 1] * cb[1, 0] + ca[1, 0] * cb[0, 1] + ca[1, 1] * cb[1, 1];
        double detProd = (ca[0, 0] * ca[1, 1] - ca[0, 1] * ca[1, 0]) * (cb[0, 0] * cb[1, 1] - cb[0, 1] * cb[1, 0]);
        double trSqrt = Math.Sqrt(trProd + 2 * Math.Sqrt(Math.Max(detProd, 0)));
        return dm + ca[0, 0] + ca[1, 1] + cb[0, 0] + cb[1, 1] - 2 * trSqrt;
    }

    /// <summary>
    /// Two-sample energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (Szekely and Rizzo; V-statistic form),
    /// zero iff the distributions agree; sensitive to mode weights and shapes, unlike the Frechet distance.
    /// </summary>
    public static double EnergyDistance(double[][] a, double[][] b)
    {
        static double MeanDistance(double[][] p, double[][] q)
        {
            double s = 0;
            foreach (var u in p)
                foreach (var v in q)
                {
                    double dd = 0;
                    for (int j = 0; j < u.Length; j++) dd += (u[j] - v[j]) * (u[j] - v[j]);
                    s += Math.Sqrt(dd);
                }
            return s / ((double)p.Length * q.Length);
        }
        return 2 * MeanDistance(a, b) - MeanDistance(a, a) - MeanDistance(b, b);
    }

    /// <summary>Standard normal CDF (Abramowitz and Stegun 7.1.26 erf, absolute error below 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2), t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /// <summary>
    /// Sliced, normalised Cramer-von Mises ratio of 2-D samples against an exact distribution given by the CDFs of its
    /// 1-D projections: the mean over <paramref name="directions"/> evenly spaced unit vectors u of
    /// n integral (F_n - F)^2 dz / integral F (1 - F) dz, with F_n the empirical CDF of u . x. For exact draws each term has
    /// expectation exactly 1 (E (F_n - F)^2 = F (1 - F) / n), so R near 1 means "indistinguishable from exact at this n";
    /// a sampler bias b in the CDF adds about n |b|^2 / integral F (1 - F), growing with n. (1-D Cramer distance = energy distance / 2.)
    /// </summary>
    public static double SlicedCramerRatio(double[][] x, Func<double[], double, double> projectedCdf, int directions = 8, int gridPoints = 4000)
    {
        int n = x.Length;
        double total = 0;
        for (int j = 0; j < directions; j++)
        {
            double angle = Math.PI * j / directions;
            double[] u = [Math.Cos(angle), Math.Sin(angle)];
            var p = x.Select(r => u[0] * r[0] + u[1] * r[1]).OrderBy(v => v).ToArray();
            double lo = p[0] - 1, hi = p[^1] + 1, dz = (hi - lo) / gridPoints;
            double num = 0, den = 0;
            int count = 0;
            for (int g = 0; g < gridPoints; g++)
            {
                double z = lo + (g + 0.5) * dz;
                while (count < n && p[count] <= z) count++;
                double f = projectedCdf(u, z), fn = (double)count / n;
                num += (fn - f) * (fn - f) * dz;
                den += f * (1 - f) * dz;
            }
            total += n * num / den;
        }
        return total / directions;
    }
}
