using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.NoiseModels;

/// <summary>
/// The circulant approximation of A A^T used to train a noise model with the modified perturbation kernel
/// p(eta_t | eta_0) = N(mu eta_0, sigma^2 A A^T) (Adam et al. 2023, appendix B, eq. 16-17): A ~ F^-1 diag(F Pi_k) F with
/// Pi_k the effective kernel (the column of A for the central model pixel, <see cref="EffectiveKernel"/>), so
/// (A A^T)^-1 ~ F^-1 diag(1 / (|F Pi_k|^2 + lambda)) F with lambda = 1e-3 keeping it invertible. The score target
/// for a draw eta_t = mu eta_0 + sigma A z is then -(1/sigma) F^-1[F(A z) / (|F Pi_k|^2 + lambda)] (eq. 17).
/// <para>Pixel-ratio correction (on by default): when A maps n model pixels to m &lt; n observed pixels (pooling),
/// the m x m circulant built from one column misses the other n/m columns that land on each observed pixel
/// (for 4x4 average pooling A A^T = I/16 but |F Pi|^2 = 1/256). Multiplying |F Pi_k|^2 by n/m restores A A^T
/// for pooling and leaves the paper's formula unchanged when n = m (PSF only). Turn it off for the literal eq. 17.</para>
/// </summary>
public sealed class CirculantNoiseKernel : IDisposable
{
    /// <summary>The paper's regulariser lambda added to the power spectrum.</summary>
    public const double DefaultRegulariser = 1e-3;

    private readonly DeviceCopies _devices = new();
    private readonly Tensor _powerSpectrum;   // (C, H, W) float64: |F Pi|^2 (n/m) + lambda

    public CirculantNoiseKernel(ForwardOperator a, double regulariser = DefaultRegulariser, bool pixelRatioCorrection = true)
    {
        Operator = a;
        Regulariser = regulariser;
        PixelRatioCorrection = pixelRatioCorrection;
        using var scope = torch.NewDisposeScope();
        var kernel = EffectiveKernel.Extract(a);                     // (C', H', W')
        var spectrum = torch.Fft2(kernel).Abs().Square();
        double ratio = pixelRatioCorrection ? (double)a.InputShape[1] * a.InputShape[2] / (a.OutputShape[1] * a.OutputShape[2]) : 1.0;
        _powerSpectrum = spectrum.Mul(ratio).Add(regulariser).DetachFromDisposeScope();
    }

    public ForwardOperator Operator { get; }
    public double Regulariser { get; }
    public bool PixelRatioCorrection { get; }

    /// <summary>|F Pi_k|^2 (times n/m) + lambda, (C', H', W') float64.</summary>
    public Tensor PowerSpectrum => _powerSpectrum;

    /// <summary>
    /// F^-1[F(w) / P] for observation-space images w (B, C', H', W'): sigma times minus the perturbation kernel's score
    /// when w = A z, i.e. the regression target of the network output n = sigma s is -<see cref="Whiten"/>(A z).
    /// </summary>
    public Tensor Whiten(Tensor w)
    {
        using var scope = torch.NewDisposeScope();
        var f = torch.Fft2(w.To(DType.Float64));
        // Called every training step: copy the spectrum to the batch's device once, not per call.
        var spectrum = _devices.On(_powerSpectrum, w);
        var back = torch.Ifft2(f.Div(spectrum)).Real();
        return back.To(w.DType).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _powerSpectrum.Dispose();
        _devices.Dispose();
    }
}
