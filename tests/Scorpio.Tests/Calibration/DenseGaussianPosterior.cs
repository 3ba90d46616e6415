using Scorpio.Operators;
using Scorpio.Tests.Models;
using Scorpio.Torch;

namespace Scorpio.Tests.Calibration;

/// <summary>
/// The closed-form posterior of a Gaussian prior N(m, C) (<see cref="StationaryGaussian"/>) observed as y = A x + eta,
/// eta ~ N(0, Sigma_y), in dense float64: Sigma_post = (C^-1 + A^T P A)^-1 and m_post = Sigma_post (C^-1 m + A^T P y) with the
/// noise precision P = Sigma_y^-1 (zero rows and columns for masked pixels). Sigma_post does not depend on y, so one
/// factorisation serves every simulated observation. Also the exact posterior score of the perturbed posterior,
/// p_t(x_t | y) = N(mu m_post, mu^2 Sigma_post + sigma^2 I).
/// </summary>
internal sealed class DenseGaussianPosterior : IDisposable
{
    /// <param name="prior">the prior.</param>
    /// <param name="a">the forward model (any linear operator; made dense by applying it to the pixel basis).</param>
    /// <param name="precision">P = Sigma_y^-1, (m, m) float64 over the flattened observation.</param>
    public DenseGaussianPosterior(StationaryGaussian prior, ForwardOperator a, Tensor precision)
    {
        using var scope = torch.NewDisposeScope();
        long n = prior.Mean.Size(0);
        var basis = torch.Eye(n, DType.Float64).Reshape([n, .. a.InputShape]);
        A = a.Apply(basis).Reshape(n, -1).MT.Contiguous().DetachFromDisposeScope();   // (m, n): column j = A e_j
        Precision = precision.DetachFromDisposeScope();
        var cInv = torch.Inverse(prior.Covariance);
        var covariance = torch.Inverse(cInv.Add(A.MT.Matmul(Precision).Matmul(A)));
        Covariance = covariance.Add(covariance.MT).Mul(0.5).DetachFromDisposeScope();
        // m_post = G y + h: the gain and offset, so that the mean of many observations is one matmul.
        Gain = Covariance.Matmul(A.MT).Matmul(Precision).DetachFromDisposeScope();
        Offset = Covariance.Matmul(cInv).Matmul(prior.Mean.Unsqueeze(1)).Squeeze(1).DetachFromDisposeScope();
        var (values, vectors) = torch.Eigh(Covariance);
        // Whitening of posterior residuals: e^T Sigma_post^-1 e = |Q e|^2 with Q = diag(1/sqrt(lambda)) U^T.
        Whitener = vectors.MT.Div(values.Clamp(1e-300).Sqrt().Unsqueeze(1)).DetachFromDisposeScope();
    }

    /// <summary>(m, n) dense forward matrix.</summary>
    public Tensor A { get; }
    public Tensor Precision { get; }
    /// <summary>(n, n) posterior covariance.</summary>
    public Tensor Covariance { get; }
    public Tensor Gain { get; }
    public Tensor Offset { get; }
    /// <summary>(n, n) Q with Q^T Q = Sigma_post^-1.</summary>
    public Tensor Whitener { get; }

    /// <summary>Posterior means (B, n) of observations y (B, m).</summary>
    public Tensor Mean(Tensor y)
    {
        using var flat = y.To(DType.Float64).Reshape(y.Size(0), -1);
        using var gy = flat.Matmul(Gain.MT);
        return gy.Add(Offset);
    }

    /// <summary>grad log p_t(x_t | y) for a batch x (B, ...) at one (mu, sigma) and one observation y (m,).</summary>
    public Tensor Score(Tensor x, Tensor y, double mu, double sigma)
    {
        using var scope = torch.NewDisposeScope();
        long n = Covariance.Size(0);
        var k = Covariance.Mul(mu * mu).Add(torch.Eye(n, DType.Float64).Mul(sigma * sigma));
        var mean = Mean(y.Reshape(1, -1)).Mul(mu);
        var centred = x.To(DType.Float64).Reshape(x.Size(0), n).Sub(mean);
        return torch.Solve(k, centred.MT).MT.Neg().Reshape(x.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>The dense precision of white or per-pixel noise: diag(mask / sigma^2).</summary>
    public static Tensor DiagonalPrecision(Tensor sigma, Tensor? mask = null)
    {
        using var scope = torch.NewDisposeScope();
        var p = sigma.To(DType.Float64).Reshape(-1).Square().Reciprocal();
        if (mask is not null) p = p.Mul(mask.To(DType.Float64).Reshape(-1));
        return torch.DiagEmbed(p).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        A.Dispose(); Precision.Dispose(); Covariance.Dispose(); Gain.Dispose(); Offset.Dispose(); Whitener.Dispose();
    }
}
