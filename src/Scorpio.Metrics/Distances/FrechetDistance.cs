using Scorpio.Metrics.Linear;

namespace Scorpio.Metrics.Distances;

/// <summary>
/// Frechet (2-Wasserstein) distance between two Gaussians (Dowson &amp; Landau 1982), the quantity
/// behind FID: ||m1 - m2||^2 + Tr(C1 + C2 - 2 (C1 C2)^{1/2}). The cross term is computed stably as
/// Tr sqrt(C1) C2 sqrt(C1))^{1/2} through two symmetric eigendecompositions, clipping the tiny
/// negative eigenvalues rounding produces — no complex square roots, no ill-conditioned sqrtm.
/// Units: squared feature units.
/// </summary>
public static class FrechetDistance
{
    /// <summary>The Frechet distance between two fitted (or analytic) Gaussians.</summary>
    public static double Compute(GaussianFit a, GaussianFit b)
    {
        int d = a.Mean.Length;
        if (b.Mean.Length != d) throw new ArgumentException($"feature dimensions differ ({d} vs {b.Mean.Length})");
        double meanTerm = 0;
        for (int k = 0; k < d; k++) meanTerm += (a.Mean[k] - b.Mean[k]) * (a.Mean[k] - b.Mean[k]);
        double traceTerm = Matrix.Trace(a.Covariance) + Matrix.Trace(b.Covariance) - 2 * TraceSqrtProduct(a.Covariance, b.Covariance);
        // The exact value is >= 0; rounding can leave a tiny negative remainder.
        return meanTerm + Math.Max(traceTerm, 0);
    }

    /// <summary>
    /// The Frechet distance between Gaussians fitted (<see cref="GaussianFit.FromSamples"/>, divisor n - 1) to two sets of
    /// feature vectors, computed without forming d x d covariances when a set is smaller than the dimension: with
    /// C1 = A Aᵀ and C2 = B Bᵀ (A, B the centred vectors as columns over sqrt(n - 1)), the eigenvalues of C1 C2 are the
    /// squared singular values of Aᵀ B, so Tr (C1 C2)^{1/2} is the nuclear norm of the n1 x n2 matrix Aᵀ B. Exact, and it
    /// turns 512-dimensional ResNet features of a few dozen images into a small eigenproblem.
    /// </summary>
    public static double FromSamples(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b)
    {
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException($"a covariance needs at least 2 feature vectors per set, got {a.Count} and {b.Count}");
        int d = a[0].Length;
        if (b[0].Length != d) throw new ArgumentException($"feature dimensions differ ({d} vs {b[0].Length})");
        if (Math.Min(a.Count, b.Count) >= d) return Compute(GaussianFit.FromSamples(a), GaussianFit.FromSamples(b));
        var (ca, ma) = Centred(a);
        var (cb, mb) = Centred(b);
        double meanTerm = 0;
        for (int k = 0; k < d; k++) meanTerm += (ma[k] - mb[k]) * (ma[k] - mb[k]);
        double Dot(double[] x, double[] y) { double s = 0; for (int k = 0; k < d; k++) s += x[k] * y[k]; return s; }
        double traceA = ca.Sum(x => Dot(x, x)) / (a.Count - 1), traceB = cb.Sum(x => Dot(x, x)) / (b.Count - 1);
        // M Mᵀ (n1 x n1, or Mᵀ M if n2 is smaller) of M = Aᵀ B; its eigenvalues are the squared singular values of M.
        var (rows, cols, norm) = a.Count <= b.Count ? (ca, cb, (double)(a.Count - 1) * (b.Count - 1)) : (cb, ca, (double)(a.Count - 1) * (b.Count - 1));
        var m = new double[rows.Length, cols.Length];
        Parallel.For(0, rows.Length, i => { for (int j = 0; j < cols.Length; j++) m[i, j] = Dot(rows[i], cols[j]); });
        var mmt = new double[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = i; j < rows.Length; j++)
            {
                double s = 0;
                for (int k = 0; k < cols.Length; k++) s += m[i, k] * m[j, k];
                mmt[i, j] = mmt[j, i] = s / norm; // each factor of M carries 1/sqrt((n1 - 1)(n2 - 1))
            }
        double nuclear = new SymmetricEigen(mmt).Values.Sum(w => Math.Sqrt(Math.Max(w, 0)));
        return meanTerm + Math.Max(traceA + traceB - 2 * nuclear, 0);
    }

    private static (double[][] Centred, double[] Mean) Centred(IReadOnlyList<double[]> x)
    {
        int d = x[0].Length;
        var mean = new double[d];
        foreach (var v in x)
        {
            if (v.Length != d) throw new ArgumentException($"feature vectors differ in length ({v.Length} vs {d})");
            for (int k = 0; k < d; k++) mean[k] += v[k] / x.Count;
        }
        return (x.Select(v => v.Select((e, k) => e - mean[k]).ToArray()).ToArray(), mean);
    }

    /// <summary>Tr (C1 C2)^{1/2} = Tr (sqrt(C1) C2 sqrt(C1))^{1/2} for symmetric positive semi-definite C1, C2.</summary>
    public static double TraceSqrtProduct(double[,] c1, double[,] c2)
    {
        var sqrtC1 = new SymmetricEigen(c1).Reconstruct(w => Math.Sqrt(Math.Max(w, 0)));
        var inner = Matrix.Symmetrize(Matrix.Multiply(Matrix.Multiply(sqrtC1, c2), sqrtC1));
        return new SymmetricEigen(inner).Values.Sum(w => Math.Sqrt(Math.Max(w, 0)));
    }
}
