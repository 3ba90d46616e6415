using Scorpio.Astro.Numerics;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Linear;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Tests;

public class FrechetTests
{
    [Fact]
    public void Jacobi_reconstructs_a_random_symmetric_matrix()
    {
        var rng = new SeededRandom(4);
        int n = 60;
        var a = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) a[i, j] = a[j, i] = rng.NextGaussian();
        var eig = new SymmetricEigen(a);
        var back = eig.Reconstruct(w => w);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) Assert.Equal(a[i, j], back[i, j], 9);
        for (int k = 1; k < n; k++) Assert.True(eig.Values[k] >= eig.Values[k - 1]);
    }

    [Fact]
    public void Frechet_distance_of_two_known_2d_gaussians_matches_closed_form()
    {
        // For 2x2 SPD matrices, Tr sqrt(C1 C2) = sqrt(tr(C1 C2) + 2 sqrt(det C1 det C2)) because the
        // eigenvalues of C1 C2 are positive and Tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for 2x2 M.
        double[,] c1 = { { 2.0, 0.6 }, { 0.6, 1.0 } }, c2 = { { 0.5, -0.3 }, { -0.3, 3.0 } };
        double[] m1 = { 1, -2 }, m2 = { 0.5, 1 };
        double trProd = c1[0, 0] * c2[0, 0] + c1[0, 1] * c2[1, 0] + c1[1, 0] * c2[0, 1] + c1[1, 1] * c2[1, 1];
        double det1 = 2.0 * 1.0 - 0.36, det2 = 0.5 * 3.0 - 0.09;
        double trSqrt = Math.Sqrt(trProd + 2 * Math.Sqrt(det1 * det2));
        double expected = 0.25 + 9 + 3.0 + 3.5 - 2 * trSqrt;
        Assert.Equal(expected, FrechetDistance.Compute(new GaussianFit(m1, c1), new GaussianFit(m2, c2)), 10);
    }

    [Fact]
    public void Frechet_distance_of_diagonal_gaussians_in_128_dims_is_sum_of_squared_std_differences()
    {
        // Commuting covariances: FD = |m1 - m2|^2 + sum (s1 - s2)^2 exactly.
        int d = 128;
        var rng = new SeededRandom(5);
        var m1 = new double[d]; var m2 = new double[d];
        var c1 = new double[d, d]; var c2 = new double[d, d];
        double expected = 0;
        for (int k = 0; k < d; k++)
        {
            m1[k] = rng.NextGaussian(); m2[k] = rng.NextGaussian();
            double s1 = 0.1 + rng.NextDouble(), s2 = 0.1 + rng.NextDouble();
            c1[k, k] = s1 * s1; c2[k, k] = s2 * s2;
            expected += (m1[k] - m2[k]) * (m1[k] - m2[k]) + (s1 - s2) * (s1 - s2);
        }
        // Rotate both by the same random orthogonal matrix: FD is rotation invariant, but the
        // matrices are now dense, so the eigen-solver path is exercised.
        var q = RandomOrthogonal(d, rng);
        var qt = Transpose(q);
        var r1 = Matrix.Multiply(Matrix.Multiply(q, c1), qt);
        var r2 = Matrix.Multiply(Matrix.Multiply(q, c2), qt);
        Assert.Equal(expected, FrechetDistance.Compute(new GaussianFit(Rotate(q, m1), r1), new GaussianFit(Rotate(q, m2), r2)), 7);
    }

    [Fact]
    public void Frechet_distance_from_few_samples_in_sample_space_equals_the_covariance_route()
    {
        // 9 and 13 vectors in 40 dimensions: rank-deficient covariances, where FromSamples uses the nuclear norm of A^T B.
        var rng = new SeededRandom(11);
        double[][] Set(int n, double shift) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 40).Select(k => rng.NextGaussian() * (1 + k % 3) + shift).ToArray()).ToArray();
        var a = Set(9, 0); var b = Set(13, 0.3);
        double viaCovariances = FrechetDistance.Compute(GaussianFit.FromSamples(a), GaussianFit.FromSamples(b));
        // To 1e-7 relative: the covariance route takes square roots of the ~30 zero eigenvalues of a rank-8 product, which
        // rounding leaves at ~1e-15, so it carries ~1e-7 of noise per eigenvalue; the sample route has no such terms.
        Assert.True(Math.Abs(FrechetDistance.FromSamples(a, b) - viaCovariances) <= 1e-7 * viaCovariances, $"{FrechetDistance.FromSamples(a, b):R} vs {viaCovariances:R}");
        Assert.Equal(FrechetDistance.FromSamples(a, b), FrechetDistance.FromSamples(b, a), 9); // symmetric
        Assert.Equal(0, FrechetDistance.FromSamples(a, a), 8);
    }

    [Fact]
    public void Frechet_distance_from_samples_approaches_the_analytic_value_and_kid_is_near_zero_for_one_distribution()
    {
        // x ~ N(0, I_4), y ~ N(0.5 * 1, 4 I_4): FD = 4 * 0.25 + 4 * (1 - 2)^2 = 5.
        var rng = new SeededRandom(6);
        var x = Enumerable.Range(0, 20000).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var y = Enumerable.Range(0, 20000).Select(_ => Enumerable.Range(0, 4).Select(_ => 0.5 + 2 * rng.NextGaussian()).ToArray()).ToArray();
        Assert.InRange(FrechetDistance.Compute(GaussianFit.FromSamples(x), GaussianFit.FromSamples(y)), 4.8, 5.2);
        var x2 = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var x3 = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        double same = KernelDistance.Compute(x2, x3);
        double different = KernelDistance.Compute(x2, y.Take(500).ToArray());
        Assert.InRange(same, -0.05, 0.05);
        Assert.True(different > 1, $"KID between different Gaussians was {different}");
    }

    private static double[,] RandomOrthogonal(int d, SeededRandom rng)
    {
        // Gram-Schmidt on a Gaussian matrix.
        var q = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            var v = new double[d];
            for (int i = 0; i < d; i++) v[i] = rng.NextGaussian();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * q[i, k];
                for (int i = 0; i < d; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(t => t * t));
            for (int i = 0; i < d; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    private static double[,] Transpose(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var t = new double[m, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) t[j, i] = a[i, j];
        return t;
    }

    private static double[] Rotate(double[,] q, double[] v)
    {
        int d = v.Length;
        var r = new double[d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) r[i] += q[i, j] * v[j];
        return r;
    }
}
