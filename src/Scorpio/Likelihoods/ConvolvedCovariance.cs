using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// The covariance of the residual r_t = mu(t) y - A x_t under the convolved-likelihood approximation
/// (METHODS.md section 4): M(t) = mu^2 Sigma_eta + sigma^2 A A^T, and its inverse applied to residuals.
/// <list type="bullet">
/// <item>Dense (exact): with a whitening W (W^T W = Sigma_eta^-1, zero rows for masked pixels) and the
/// eigendecomposition W A A^T W^T = V diag(lambda) V^T computed once, M^-1 = W^T V diag(1/(mu^2 + sigma^2 lambda)) V^T W
/// for every t. Masked pixels get zero weight (the limit of infinite variance).</item>
/// <item>Fourier: in pixels whitened by W = diag(1/sigma_i) (0 where masked), M = W^-1 (mu^2 I + sigma^2 W A A^T W) W^-1 with
/// W A A^T W replaced by mean(1/sigma_i^2) times the circulant matrix whose spectrum is the FFT of A A^T's central row.
/// Exact for white noise and a periodic convolution; zero-padded borders and varying sigma maps are approximate.</item>
/// <item>Diagonal: A A^T replaced by its value at the central pixel (per channel) times the identity.</item>
/// <item>Conjugate gradient (exact to a tolerance, any size): K u = W r with K = mu^2 I + sigma^2 W A A^T W solved matrix-free
/// (one A and one A^T per iteration), preconditioned by the Fourier form; M^-1 r = W u.</item>
/// </list>
/// All arithmetic is float64; results come back in the residual's dtype.
/// </summary>
public sealed class ConvolvedCovariance : IDisposable
{
    /// <summary>Largest observation (pixels) for which <see cref="CovarianceForm.Auto"/> picks the dense form.</summary>
    public const long DenseLimit = 1024;

    /// <summary>Largest observation (pixels) the dense form accepts (a 4096^2 eigendecomposition takes a minute).</summary>
    public const long DenseMaximum = 4096;

    private readonly long[] _shape;
    private readonly Tensor? _projection;   // dense: P = V^T W, (m, m)
    private readonly Tensor? _lambda;       // dense: (m,) eigenvalues of W A A^T W^T
    private readonly Tensor? _spectrum;     // fourier: (C', H', W'/2+1) real, spectrum of A A^T
    private readonly Tensor? _gramDiagonal; // diagonal: (C', 1, 1)
    private readonly Tensor? _variance;     // diagonal: Sigma_eta diagonal (C', H', W') (1 for masked)
    private readonly Tensor? _weight;       // diagonal: 0/1 mask; fourier: whitening w_i / sigma_i (C', H', W')
    private readonly Tensor? _meanPrecision; // fourier: mean over observed pixels of 1/sigma_i^2, (C', 1, 1)
    private readonly ForwardOperator _operator;
    private readonly DeviceCopies _devices = new();

    public ConvolvedCovariance(ForwardOperator a, GaussianNoise noise, CovarianceForm form = CovarianceForm.Auto)
    {
        _shape = a.OutputShape;
        _operator = a;
        long m = a.OutputSize;
        if (noise.Covariance is not null && noise.Covariance.Size(0) != m)
            throw new UserInputException($"the noise covariance is {noise.Covariance.Size(0)}x{noise.Covariance.Size(0)} but the observation has {m} pixels");
        if (noise.SigmaMap is not null && !noise.SigmaMap.Shape.SequenceEqual(_shape))
            throw new UserInputException($"the sigma map has shape {string.Join("x", noise.SigmaMap.Shape)} but the observation is {string.Join("x", _shape)}: give one sigma per observed pixel");
        if (noise.Mask is not null && !noise.Mask.Shape.SequenceEqual(_shape))
            throw new UserInputException($"the observation mask has shape {string.Join("x", noise.Mask.Shape)} but the observation is {string.Join("x", _shape)}");
        if (form == CovarianceForm.Auto)
            form = noise.Covariance is not null || m <= DenseLimit ? CovarianceForm.Dense : CovarianceForm.ConjugateGradient;
        if (form == CovarianceForm.Dense && m > DenseMaximum)
            throw new UserInputException($"the exact (dense) Gaussian likelihood handles at most {DenseMaximum} observed pixels; this observation has {m}: use the Fourier or diagonal form");
        if (noise.Covariance is not null && form != CovarianceForm.Dense)
            throw new UserInputException("a dense noise covariance needs the dense likelihood form");
        Form = form;

        using var scope = torch.NewDisposeScope();
        if (form == CovarianceForm.Dense)
        {
            Tensor whitening;                                          // (m, m)
            using (var w = new NoiseWhitening(noise, _shape)) whitening = w.Matrix();
            var gram = DenseGram(a);                                   // (m, m)
            var k = whitening.Matmul(gram).Matmul(whitening.MT);
            var sym = k.Add(k.MT).Mul(0.5);
            var (values, vectors) = torch.Eigh(sym);
            _lambda = values.Clamp(0.0).DetachFromDisposeScope();
            _projection = vectors.MT.Matmul(whitening).DetachFromDisposeScope();
        }
        else
        {
            var weight = noise.Mask?.Alias() ?? torch.Ones(_shape, DType.Float64);
            var variance = noise.Sigma is double s ? torch.Full(_shape, s * s, DType.Float64) : noise.SigmaMap!.Square();
            var row = GramRows(a);                                     // (C', H', W')
            if (form is CovarianceForm.Fourier or CovarianceForm.ConjugateGradient)
            {
                var whitening = weight.Div(variance.Sqrt());
                var precision = whitening.Square();
                var count = weight.Sum([1, 2], keepDim: true).Clamp(1.0);
                _meanPrecision = precision.Sum([1, 2], keepDim: true).Div(count).DetachFromDisposeScope();
                _weight = whitening.DetachFromDisposeScope();
                var rolled = row.Roll([-(_shape[1] / 2), -(_shape[2] / 2)], [1, 2]);
                var spec = torch.Rfft2(rolled).Real().Clamp(0.0);
                _spectrum = spec.Contiguous().DetachFromDisposeScope();
            }
            else
            {
                _weight = weight.Clone().DetachFromDisposeScope();
                _variance = variance.DetachFromDisposeScope();
                var centre = row.Narrow(1, _shape[1] / 2, 1).Narrow(2, _shape[2] / 2, 1);
                _gramDiagonal = centre.Contiguous().DetachFromDisposeScope();
            }
        }
    }

    /// <summary>The form in use (Auto resolved).</summary>
    public CovarianceForm Form { get; }

    /// <summary>
    /// M(t)^-1 r for residuals r (B, C', H', W') with one (mu, sigma) per batch item, (B,) float64 tensors on r's device;
    /// a new tensor in r's dtype.
    /// </summary>
    public Tensor Solve(Tensor r, Tensor mu, Tensor sigma)
    {
        using var scope = torch.NewDisposeScope();
        var r64 = r.To(DType.Float64);
        long b = r.Size(0);
        var mu2 = PerSample.Broadcast(mu.Square(), r64);            // (B, 1, 1, 1) float64
        var sigma2 = PerSample.Broadcast(sigma.Square(), r64);
        Tensor result;
        if (Form == CovarianceForm.Dense)
        {
            var projection = _devices.On(_projection!, r);
            var flat = r64.Reshape(b, -1);                       // (B, m)
            var proj = flat.Matmul(projection.MT);               // (B, m): P r
            var denom = _devices.On(_lambda!, r).Mul(sigma2.Reshape(b, 1)).Add(mu2.Reshape(b, 1));
            var scaled = proj.Div(denom);
            result = scaled.Matmul(projection).Reshape(r.Shape); // P^T diag(.) P r
        }
        else if (Form == CovarianceForm.Fourier)
        {
            var weight = _devices.On(_weight!, r);
            result = Precondition(r64.Mul(weight), mu2, sigma2).Mul(weight);
        }
        else if (Form == CovarianceForm.ConjugateGradient)
        {
            var weight = _devices.On(_weight!, r);
            result = ConjugateGradient(r64.Mul(weight), mu2, sigma2).Mul(weight);
        }
        else
        {
            var denom = _devices.On(_variance!, r).Mul(mu2).Add(_devices.On(_gramDiagonal!, r).Mul(sigma2));
            result = r64.Mul(_devices.On(_weight!, r)).Div(denom);
        }
        return result.To(r.DType).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Relative residual at which <see cref="CovarianceForm.ConjugateGradient"/> stops (per batch item); null runs exactly
    /// <see cref="MaxIterations"/> iterations and reads nothing back to the host.
    /// </summary>
    public double? Tolerance { get; init; } = 1e-6;

    /// <summary>Iteration cap of <see cref="CovarianceForm.ConjugateGradient"/> (reached only at large t, where the likelihood barely matters).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Iterations of the last conjugate-gradient solve (for diagnostics and tests).</summary>
    public int LastIterations { get; private set; }

    /// <summary>
    /// The Fourier approximation of K^-1 v, K = mu^2 I + sigma^2 W A A^T W: F^-1[F v / (mu^2 + sigma^2 mean(w^2) |G|)];
    /// mu^2 and sigma^2 are (B, 1, 1, 1).
    /// </summary>
    private Tensor Precondition(Tensor v, Tensor mu2, Tensor sigma2)
    {
        using var f = torch.Rfft2(v);
        using var scaled = _devices.On(_spectrum!, v).Mul(_devices.On(_meanPrecision!, v));
        using var spread = scaled.Mul(sigma2);
        using var denom = spread.Add(mu2);
        using var q = f.Div(denom);
        return torch.Irfft2(q, [_shape[1], _shape[2]]);
    }

    private Tensor ApplyK(Tensor v, Tensor mu2, Tensor sigma2)
    {
        var weight = _devices.On(_weight!, v);
        using var wv = v.Mul(weight);
        using var back = _operator.Adjoint(wv);
        using var forward = _operator.Apply(back);
        using var wg = forward.Mul(weight);
        using var scaled = wg.Mul(sigma2);
        using var diagonal = v.Mul(mu2);
        return scaled.Add(diagonal);
    }

    /// <summary>
    /// Preconditioned conjugate gradient for K u = b from the Fourier guess (runs inside the caller's dispose scope). The
    /// convergence test, when there is a tolerance, reads one number from the device per iteration.
    /// </summary>
    private Tensor ConjugateGradient(Tensor b, Tensor mu2, Tensor sigma2)
    {
        using var guess = Precondition(b, mu2, sigma2);
        var u = Solvers.ConjugateGradient.Solve(v => ApplyK(v, mu2, sigma2), b, MaxIterations, r => Precondition(r, mu2, sigma2),
            guess, Tolerance, out int used);
        LastIterations = used;
        return u;
    }

    /// <summary>A A^T as a dense (m, m) float64 matrix, column by column (batches of 256 unit residuals).</summary>
    public static Tensor DenseGram(ForwardOperator a)
    {
        long m = a.OutputSize;
        var columns = new List<Tensor>();
        using var noGrad = torch.NoGrad();
        for (long start = 0; start < m; start += 256)
        {
            long n = Math.Min(256, m - start);
            using var eye = torch.Eye(m, DType.Float64);
            using var rows = eye.Narrow(0, start, n);
            using var basis = rows.Reshape([n, .. a.OutputShape]);
            using var back = a.Adjoint(basis);
            using var forward = a.Apply(back);
            columns.Add(forward.Reshape(n, m));
        }
        try { return torch.Cat(columns.ToArray(), 0); }
        finally { foreach (var c in columns) c.Dispose(); }
    }

    /// <summary>For every output channel c, the row of A A^T for that channel's central pixel, restricted to channel c: (C', H', W').</summary>
    public static Tensor GramRows(ForwardOperator a)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var s = a.OutputShape;
        var data = new double[s[0] * s[0] * s[1] * s[2]];
        for (long c = 0; c < s[0]; c++) data[((c * s[0] + c) * s[1] + s[1] / 2) * s[2] + s[2] / 2] = 1;
        var deltas = torch.FromArray(data, s[0], s[0], s[1], s[2]);
        var forward = a.Apply(a.Adjoint(deltas));                 // (C', C', H', W')
        var rows = new Tensor[s[0]];
        for (long c = 0; c < s[0]; c++) rows[c] = forward.Select(0, c).Select(0, c);
        return torch.Stack(rows, 0).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _projection?.Dispose();
        _lambda?.Dispose();
        _spectrum?.Dispose();
        _gramDiagonal?.Dispose();
        _variance?.Dispose();
        _weight?.Dispose();
        _meanPrecision?.Dispose();
        _devices.Dispose();
    }
}
