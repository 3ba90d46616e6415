using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// A Gaussian noise model Sigma_eta for y = A x + eta, in the observation's (physical) units: white (one sigma),
/// a per-pixel sigma map, or a dense covariance (small stamps; correlated noise such as stripes). An optional
/// 0/1 mask marks observed pixels; masked pixels get infinite variance (zero weight), which is how NaNs and
/// bad pixels in an observation are ignored.
/// </summary>
public sealed class GaussianNoise : IDisposable
{
    private GaussianNoise(double? sigma, Tensor? sigmaMap, Tensor? covariance, Tensor? mask)
    {
        Sigma = sigma;
        SigmaMap = sigmaMap?.DetachFromDisposeScope();
        Covariance = covariance?.DetachFromDisposeScope();
        Mask = mask?.DetachFromDisposeScope();
    }

    private Tensor? _lower;   // Cholesky factor of a dense covariance, made on the first draw
    private readonly DeviceCopies _copies = new();   // constants on the sampling device, copied once

    /// <summary>The white-noise standard deviation, or null.</summary>
    public double? Sigma { get; }
    /// <summary>Per-pixel standard deviations (C', H', W') float64, or null.</summary>
    public Tensor? SigmaMap { get; }
    /// <summary>Dense covariance (m, m) float64 over the flattened observation, or null.</summary>
    public Tensor? Covariance { get; }
    /// <summary>0/1 mask (C', H', W') float64 of observed pixels, or null (all observed).</summary>
    public Tensor? Mask { get; }

    /// <summary>White noise of standard deviation <paramref name="sigma"/> (physical units, &gt; 0).</summary>
    public static GaussianNoise White(double sigma, Tensor? mask = null)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new UserInputException($"the noise sigma must be a positive number (got {sigma})");
        return new GaussianNoise(sigma, null, null, mask?.To(DType.Float64));
    }

    /// <summary>
    /// Independent noise with per-pixel sigma (C', H', W'). Pixels whose sigma is NaN, infinite or not positive are
    /// treated as masked (no information), as are pixels where <paramref name="mask"/> is 0.
    /// </summary>
    public static GaussianNoise PerPixel(Tensor sigmaMap, Tensor? mask = null)
    {
        using var s = sigmaMap.To(DType.Float64);
        using var finite = s.IsFinite();
        using var positive = s.Gt(0.0);
        using var valid = finite.LogicalAnd(positive);
        using var validF = valid.To(DType.Float64);
        using var maskF = mask?.To(DType.Float64);
        using var m = maskF is null ? validF.Alias() : validF.Mul(maskF);
        using var safe = torch.Where(valid, s, 1.0);
        return new GaussianNoise(null, safe.Clone(), null, m.Clone());
    }

    /// <summary>A dense covariance (m, m) for m observed pixels (symmetric positive definite).</summary>
    public static GaussianNoise Dense(Tensor covariance)
    {
        if (covariance.Dim != 2 || covariance.Size(0) != covariance.Size(1))
            throw new ArgumentException($"a dense noise covariance is (m, m); got {string.Join("x", covariance.Shape)}");
        return new GaussianNoise(null, null, covariance.To(DType.Float64), null);
    }

    /// <summary>
    /// A draw of eta ~ N(0, Sigma_eta) from standard normals <paramref name="standard"/> (B, C', H', W'): sigma eps (white),
    /// sigma_i eps_i (per pixel) or L eps with Sigma = L L^T (dense); masked pixels get 0 (they carry no information, and
    /// every consumer gives them zero weight). A new tensor in the dtype of <paramref name="standard"/>.
    /// </summary>
    public Tensor Draw(Tensor standard)
    {
        using var scope = torch.NewDisposeScope();
        var e = standard.To(DType.Float64);
        Tensor eta;
        if (Sigma is double s) eta = e.Mul(s);
        else if (SigmaMap is not null) eta = e.Mul(_copies.On(SigmaMap, e));
        else
        {
            _lower ??= torch.Cholesky(Covariance!).DetachFromDisposeScope();
            eta = e.Reshape(e.Size(0), -1).Matmul(_copies.On(_lower, e).MT).Reshape(e.Shape);
        }
        if (Mask is not null) eta = eta.Mul(_copies.On(Mask, e));
        return eta.To(standard.DType).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sigma_eta^-1 r for residuals <paramref name="r"/> (B, C', H', W'), with zero weight on masked pixels; a new tensor in
    /// r's dtype (float64 arithmetic).
    /// </summary>
    public Tensor Precision(Tensor r)
    {
        using var scope = torch.NewDisposeScope();
        var v = r.To(DType.Float64);
        Tensor w;
        if (Sigma is double s) w = v.Div(s * s);
        else if (SigmaMap is not null) w = v.Div(_copies.On(SigmaMap, v).Square());
        else
        {
            _lower ??= torch.Cholesky(Covariance!).DetachFromDisposeScope();
            var flat = v.Reshape(v.Size(0), -1).MT;                                   // (m, B)
            w = torch.CholeskySolve(flat, _copies.On(_lower, v)).MT.Reshape(v.Shape);
        }
        if (Mask is not null) w = w.Mul(_copies.On(Mask, v));
        return w.To(r.DType).MoveToOuterDisposeScope();
    }

    public string Describe() => Sigma is double s ? $"white(sigma={s:g4})" : SigmaMap is not null ? "per-pixel sigma map" : "dense covariance";

    public void Dispose()
    {
        _copies.Dispose();
        _lower?.Dispose();
        SigmaMap?.Dispose();
        Covariance?.Dispose();
        Mask?.Dispose();
    }
}
