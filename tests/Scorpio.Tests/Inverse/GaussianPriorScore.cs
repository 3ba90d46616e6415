using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// The exact score of a Gaussian prior N(m, C) under an SDE's perturbation: p_t = N(mu m, mu^2 C + sigma^2 I),
/// score = -(mu^2 C + sigma^2 I)^-1 (x - mu m), computed with the eigendecomposition C = U diag(c) U^T (float64).
/// The analytic stand-in for a trained prior in the linear-Gaussian tests.
/// </summary>
internal sealed class GaussianPriorScore : IScoreFunction, IDisposable
{
    public GaussianPriorScore(Tensor mean, Tensor covariance, long[] shape, Sde sde)
    {
        Shape = shape;
        Sde = sde;
        Mean = mean.To(DType.Float64).Reshape(-1).DetachFromDisposeScope();
        Covariance = covariance.To(DType.Float64).DetachFromDisposeScope();
        var (values, vectors) = torch.Eigh(Covariance);
        Eigenvalues = values.Clamp(0.0).DetachFromDisposeScope();
        Eigenvectors = vectors.DetachFromDisposeScope();
        values.Dispose();
    }

    public long[] Shape { get; }
    public Sde Sde { get; }
    public Tensor Mean { get; }
    public Tensor Covariance { get; }
    public Tensor Eigenvalues { get; }
    public Tensor Eigenvectors { get; }
    public long Size => Mean.Size(0);

    public Tensor Score(Tensor x, Tensor t)
    {
        var times = t.ToDoubleArray();
        using var scope = torch.NewDisposeScope();
        var parts = new Tensor[times.Length];
        bool same = times.All(v => v == times[0]);
        if (same) return ScoreAt(x, times[0]).MoveToOuterDisposeScope();
        for (int i = 0; i < times.Length; i++) parts[i] = ScoreAt(x.Narrow(0, i, 1), times[i]);
        return torch.Cat(parts, 0).MoveToOuterDisposeScope();
    }

    private Tensor ScoreAt(Tensor x, double t)
    {
        double mu = Sde.Mu(t), s = Sde.Sigma(t);
        var flat = x.To(DType.Float64).Reshape(x.Size(0), -1);
        var centred = flat.Sub(Mean.Mul(mu));
        var inv = Eigenvalues.Mul(mu * mu).Add(s * s).Reciprocal();
        var proj = centred.Matmul(Eigenvectors).Mul(inv).Matmul(Eigenvectors.MT);
        return proj.Neg().Reshape(x.Shape).To(x.DType);
    }

    /// <summary>Draws n samples of N(m, C), (n, C, H, W) float32.</summary>
    public Tensor Draw(int n, Generator rng)
    {
        using var scope = torch.NewDisposeScope();
        var z = torch.Randn([n, Size], rng, DType.Float64);
        var x = z.Mul(Eigenvalues.Sqrt()).Matmul(Eigenvectors.MT).Add(Mean);
        return x.Reshape([n, .. Shape]).To(DType.Float32).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Mean.Dispose(); Covariance.Dispose(); Eigenvalues.Dispose(); Eigenvectors.Dispose();
    }
}
