using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// A whitening W of a Gaussian noise model, W^T W = Sigma_eta^-1 (a pseudo-inverse: zero weight for masked pixels), applied to
/// batches of residuals (B, C', H', W') without forming a matrix for diagonal noise: W = diag(mask / sigma) for white and
/// per-pixel noise, W = L^-1 with Sigma_eta = L L^T for a dense covariance (one triangular inverse at set-up). Solvers work in
/// whitened residuals, where the noise covariance is the identity on the observed pixels. Constants live on the host
/// (float64) and are copied once to each batch's device and dtype.
/// </summary>
public sealed class NoiseWhitening : IDisposable
{
    private readonly long[] _shape;
    private readonly Tensor? _weight;   // diagonal: (C', H', W') mask / sigma
    private readonly Tensor? _matrix;   // dense: (m, m) L^-1
    private readonly DeviceCopies _devices = new();

    /// <param name="noise">Sigma_eta with its mask.</param>
    /// <param name="shape">the observation's shape (C', H', W').</param>
    public NoiseWhitening(GaussianNoise noise, long[] shape)
    {
        _shape = shape;
        long m = shape.Aggregate(1L, (a, b) => a * b);
        using var scope = torch.NewDisposeScope();
        if (noise.Covariance is not null)
        {
            if (noise.Covariance.Size(0) != m)
                throw new UserInputException($"the noise covariance is {noise.Covariance.Size(0)}x{noise.Covariance.Size(0)} but the observation has {m} pixels");
            _matrix = torch.Inverse(torch.Cholesky(noise.Covariance)).DetachFromDisposeScope();
            return;
        }
        if (noise.SigmaMap is not null && !noise.SigmaMap.Shape.SequenceEqual(shape))
            throw new UserInputException($"the sigma map has shape {string.Join("x", noise.SigmaMap.Shape)} but the observation is {string.Join("x", shape)}: give one sigma per observed pixel");
        if (noise.Mask is not null && !noise.Mask.Shape.SequenceEqual(shape))
            throw new UserInputException($"the observation mask has shape {string.Join("x", noise.Mask.Shape)} but the observation is {string.Join("x", shape)}");
        var sigma = noise.Sigma is double s ? torch.Full(shape, s, DType.Float64) : noise.SigmaMap!.Alias();
        var weight = sigma.Reciprocal();
        if (noise.Mask is not null) weight = weight.Mul(noise.Mask);
        _weight = weight.DetachFromDisposeScope();
    }

    /// <summary>W r for residuals r (B, C', H', W'); a new tensor in r's dtype.</summary>
    public Tensor Apply(Tensor r) => _weight is not null ? r.Mul(_devices.Like(_weight, r)) : Dense(r, transpose: false);

    /// <summary>W^T v for whitened vectors v (B, C', H', W'); a new tensor in v's dtype.</summary>
    public Tensor Transpose(Tensor v) => _weight is not null ? v.Mul(_devices.Like(_weight, v)) : Dense(v, transpose: true);

    /// <summary>W as a dense (m, m) float64 matrix over the m observed-grid pixels (for forms that factor it once); a new tensor.</summary>
    public Tensor Matrix()
    {
        if (_matrix is not null) return _matrix.Clone();
        using var flat = _weight!.Reshape(-1);
        return torch.DiagEmbed(flat);
    }

    private Tensor Dense(Tensor v, bool transpose)
    {
        using var flat = v.Reshape(v.Size(0), -1);
        var w = _devices.Like(_matrix!, v);
        using var wt = transpose ? w.Alias() : w.MT;
        using var product = flat.Matmul(wt);                    // rows: (W v)^T = v^T W^T, or (W^T v)^T = v^T W
        return product.Reshape([v.Size(0), .. _shape]);
    }

    public void Dispose()
    {
        _weight?.Dispose();
        _matrix?.Dispose();
        _devices.Dispose();
    }
}
