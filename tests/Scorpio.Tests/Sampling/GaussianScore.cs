using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// The exact score of Gaussian data x_0 ~ N(m, C) pushed through an SDE: p_t = N(mu m, mu^2 C + sigma^2 I),
/// grad log p_t(x) = -(mu^2 C + sigma^2 I)^{-1} (x - mu m), computed in C's eigenbasis. Inputs of any shape
/// (B, ...) with D = prod(...) elements per sample; differentiable in x (for likelihood tests).
/// </summary>
internal sealed class GaussianScore : IScoreFunction
{
    private readonly Sde _sde;
    private readonly double[] _lambda;
    private readonly double[,] _u; // columns are eigenvectors of C

    public double[] Mean { get; }
    public double[,] Covariance { get; }
    public int Dim => Mean.Length;

    public GaussianScore(Sde sde, double[] mean, double[,] covariance)
    {
        _sde = sde;
        Mean = mean;
        Covariance = covariance;
        int d = mean.Length;
        using var c = torch.FromArray(Flatten(covariance), d, d);
        var (values, vectors) = torch.Eigh(c);
        using (values) using (vectors)
        {
            _lambda = values.ToDoubleArray();
            var v = vectors.ToDoubleArray();
            _u = new double[d, d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) _u[i, j] = v[i * d + j];
        }
        if (_lambda.Min() <= 0) throw new ArgumentException("covariance must be positive definite");
    }

    public Tensor Score(Tensor x, Tensor t)
    {
        var times = t.ToDoubleArray();
        long b = x.Size(0);
        int d = Dim;
        // Samplers call with one time for the whole batch: then (1, D) constants broadcast over it.
        int rows = times.All(ti => ti == times[0]) ? 1 : (int)b;
        var shift = new double[rows * d];
        var inv = new double[rows * d];
        for (int k = 0; k < rows; k++)
        {
            double mu = _sde.Mu(times[k]), s = _sde.Sigma(times[k]);
            for (int j = 0; j < d; j++)
            {
                shift[k * d + j] = mu * Mean[j];
                inv[k * d + j] = 1.0 / (mu * mu * _lambda[j] + s * s);
            }
        }
        using var scope = torch.NewDisposeScope();
        var flat = x.Reshape(b, d);
        var shiftT = torch.FromArray(shift, rows, d).To(x.Device, x.DType);
        var invT = torch.FromArray(inv, rows, d).To(x.Device, x.DType);
        var u = torch.FromArray(Flatten(_u), d, d).To(x.Device, x.DType);
        var coords = flat.Sub(shiftT).Matmul(u);
        var score = coords.Mul(invT).Matmul(u.MT).Neg();
        return score.Reshape(x.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>log N(x; mu m, mu^2 C + sigma^2 I) at time t, in nats.</summary>
    public double LogDensity(double[] x, double t)
    {
        double mu = _sde.Mu(t), s = _sde.Sigma(t);
        int d = Dim;
        double quad = 0, logDet = 0;
        for (int j = 0; j < d; j++)
        {
            double v = mu * mu * _lambda[j] + s * s, proj = 0;
            for (int i = 0; i < d; i++) proj += (x[i] - mu * Mean[i]) * _u[i, j];
            quad += proj * proj / v;
            logDet += Math.Log(v);
        }
        return -0.5 * (quad + logDet + d * Math.Log(2 * Math.PI));
    }

    /// <summary>
    /// What the PF-ODE likelihood gives with an exact solver: log N(x_T; 0, priorSigma^2 I) + log|det dx_T/dx| with x_T the
    /// exact flow of x from <paramref name="tEps"/> to T (in C's eigenbasis x_T - mu_T m = sqrt(v_T / v_e) (x - mu_e m)).
    /// It differs from log p_e(x) only through the prior, which ignores mu_T m and mu_T^2 C.
    /// </summary>
    public double PipelineLogDensity(double[] x, double priorSigma, double tEps)
    {
        int d = Dim;
        double muT = _sde.Mu(_sde.T), sT = _sde.Sigma(_sde.T), muE = _sde.Mu(tEps), sE = _sde.Sigma(tEps);
        var xT = new double[d];
        double logDet = 0;
        for (int i = 0; i < d; i++) xT[i] = muT * Mean[i];
        for (int j = 0; j < d; j++)
        {
            double vT = muT * muT * _lambda[j] + sT * sT, vE = muE * muE * _lambda[j] + sE * sE;
            double z = 0;
            for (int i = 0; i < d; i++) z += _u[i, j] * (x[i] - muE * Mean[i]);
            for (int i = 0; i < d; i++) xT[i] += _u[i, j] * Math.Sqrt(vT / vE) * z;
            logDet += 0.5 * Math.Log(vT / vE);
        }
        double s2 = priorSigma * priorSigma;
        return -xT.Sum(v => v * v) / (2 * s2) - 0.5 * d * Math.Log(2 * Math.PI * s2) + logDet;
    }

    /// <summary>
    /// Mean and covariance of the EXACT sampling pipeline started from the SDE's prior N(0, priorSigma^2 I) at T:
    /// the probability-flow map x_T -> x_e to time <paramref name="tEnd"/>, then Tweedie's denoiser. In C's eigenbasis
    /// x_0 = m + k_j (x_T - mu_T m)_j with k_j = mu_e lambda_j / sqrt(v_e v_T), v_t = mu_t^2 lambda_j + sigma_t^2.
    /// Its difference from N(m, C) is the prior mismatch (the prior ignores mu_T m and mu_T^2 C) plus Tweedie's
    /// shrinkage lambda / (lambda + sigma_e^2/mu_e^2): what a perfect solver would give.
    /// </summary>
    public (double[] Mean, double[,] Cov) ExactPipelineMoments(double priorSigma, double tEnd)
    {
        int d = Dim;
        double muT = _sde.Mu(_sde.T), sT = _sde.Sigma(_sde.T), muE = _sde.Mu(tEnd), sE = _sde.Sigma(tEnd);
        var k = new double[d];
        for (int j = 0; j < d; j++)
        {
            double vT = muT * muT * _lambda[j] + sT * sT, vE = muE * muE * _lambda[j] + sE * sE;
            k[j] = muE * _lambda[j] / Math.Sqrt(vE * vT);
        }
        var mean = new double[d];
        var cov = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                double proj = 0;
                for (int l = 0; l < d; l++) proj += _u[l, j] * muT * Mean[l];
                shift += _u[i, j] * k[j] * proj;
            }
            mean[i] = Mean[i] - shift;
            for (int l = 0; l < d; l++)
            {
                double c = 0;
                for (int j = 0; j < d; j++) c += _u[i, j] * k[j] * k[j] * _u[l, j];
                cov[i, l] = priorSigma * priorSigma * c;
            }
        }
        return (mean, cov);
    }

    /// <summary>Exact draws of x_0 (float32, shape (n, D)).</summary>
    public Tensor SampleData(int n, Generator rng)
    {
        int d = Dim;
        using var scope = torch.NewDisposeScope();
        var z = torch.Randn([n, d], rng, DType.Float64);
        var l = torch.Cholesky(torch.FromArray(Flatten(Covariance), d, d));
        var m = torch.FromArray(Mean, 1, d);
        return z.Matmul(l.MT).Add(m).To(DType.Float32).MoveToOuterDisposeScope();
    }

    internal static double[] Flatten(double[,] a)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var f = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) f[i * c + j] = a[i, j];
        return f;
    }
}
