using Scorpio.Operators;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// Exact draws of x ~ p(x | z, y) proportional to N(y; A x, Sigma_eta) N(x; z, rho^2 I): the likelihood step of split-Gibbs
/// samplers such as PnP-DM (Wu, Sun et al. 2024). Perturbation-optimisation (Papandreou and Yuille 2010; Orieux et al.
/// 2012): perturb the data y~ = y + eta, eta ~ N(0, Sigma_eta), and the centre z~ = z + rho e, then minimise
/// ||y~ - A x||^2_{Sigma^-1} + ||x - z~||^2 / rho^2; its minimiser is a draw of the Gaussian. The minimiser is computed in
/// its Kalman (Woodbury) form x = z~ + rho^2 A^T (Sigma_eta + rho^2 A A^T)^-1 (y~ - A z~), whose inverse is
/// <see cref="ConvolvedCovariance"/> at mu = 1, sigma = rho: exact dense for small stamps (one eigendecomposition, any
/// Sigma_eta: white, per-pixel, masked, dense), Fourier (exact for white noise and a periodic PSF + pooling), or
/// preconditioned conjugate gradient with a fixed iteration count (no host reads) for large images. Every linear
/// operator of the library works (PSF, pooling, resampling, shifts, masks, several exposures). Masked pixels carry zero
/// weight. y and Sigma_eta in the observation's units, x and z in the operator's input units.
/// </summary>
public sealed class GaussianProximalDraw : IDisposable
{
    private readonly ConvolvedCovariance _covariance;
    private readonly Tensor _y;   // (1 or B, C', H', W') float64
    private readonly DeviceCopies _devices = new();

    /// <param name="a">the forward model (linear).</param>
    /// <param name="observation">y, (C', H', W'); masked pixels must be masked in <paramref name="noise"/>.</param>
    /// <param name="noise">Sigma_eta with the observation mask.</param>
    /// <param name="form">how (Sigma + rho^2 A A^T)^-1 is applied (auto: dense up to 1024 observed pixels, else conjugate gradient).</param>
    /// <param name="cgIterations">iterations of the conjugate-gradient form (fixed; preconditioned by the Fourier form).</param>
    public GaussianProximalDraw(ForwardOperator a, Tensor observation, GaussianNoise noise, CovarianceForm form = CovarianceForm.Auto, int cgIterations = 20)
    {
        if (!a.IsLinear) throw new ArgumentException($"the Gaussian likelihood step needs a linear forward model; {a.Name} is not");
        if (cgIterations < 1) throw new Astro.InvalidSettingException("cgIterations", $"must be at least 1 (got {cgIterations})");
        Operator = a;
        Noise = noise;
        _y = ObservationTensor.Prepare(observation, a.OutputShape);
        _covariance = new ConvolvedCovariance(a, noise, form) { Tolerance = null, MaxIterations = cgIterations };
    }

    public ForwardOperator Operator { get; }
    public GaussianNoise Noise { get; }
    /// <summary>The form in use (Auto resolved).</summary>
    public CovarianceForm Form => _covariance.Form;

    /// <summary>
    /// One draw of x | z, y for every batch item of <paramref name="z"/> (B, C, H, W) at coupling <paramref name="rho"/>,
    /// every random number from <paramref name="noise"/> (sample k from its own generator); a new tensor in z's dtype. With
    /// one observation per batch item (y given as (B, C', H', W')), item k is drawn given its own y.
    /// </summary>
    public Tensor Draw(Tensor z, double rho, SampleNoise noise)
    {
        if (!(rho > 0) || !double.IsFinite(rho)) throw new ArgumentOutOfRangeException(nameof(rho), $"must be positive (got {rho})");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        long b = z.Size(0);
        var centre = z.Add(noise.RandnLike(z), rho);                                    // z~ = z + rho e
        var eta = Noise.Draw(noise.Randn([b, .. Operator.OutputShape], DType.Float64, z.Device));
        var y = _devices.Like(_y, eta);
        var residual = y.Add(eta).Sub(Operator.Apply(centre.To(DType.Float64)));       // y~ - A z~
        var ones = torch.Ones([b], DType.Float64, z.Device);
        var gain = _covariance.Solve(residual, ones, ones.Mul(rho));                   // (Sigma + rho^2 A A^T)^-1 r
        var x = centre.To(DType.Float64).Add(Operator.Adjoint(gain), rho * rho);
        return x.To(z.DType).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The largest eigenvalue of A^T Sigma_eta^-1 A (the precision the data give the best-measured direction, per unit of
    /// x^2) by power iteration from a fixed start; one host read. Sets the scale below which the coupling rho no longer
    /// biases the posterior: the split-Gibbs z-marginal has noise covariance Sigma + rho^2 A A^T.
    /// </summary>
    public double LargestDataPrecision(int iterations = 50)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        using var g = new Generator(20240613);
        var v = torch.Randn([1, .. Operator.InputShape], g, DType.Float64);
        var lambda = torch.Zeros([], DType.Float64);
        for (int i = 0; i < iterations; i++)
        {
            var w = Operator.Adjoint(Noise.Precision(Operator.Apply(v.Div(v.Norm().Clamp(1e-300)))));
            lambda = w.Norm();
            v = w;
        }
        return lambda.ToDouble();
    }

    public void Dispose()
    {
        _covariance.Dispose();
        _y.Dispose();
        _devices.Dispose();
    }
}
