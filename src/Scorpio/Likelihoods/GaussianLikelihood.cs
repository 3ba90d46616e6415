using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// Gaussian likelihood in the convolved-likelihood form (METHODS.md section 4):
/// grad_x log p_t(y | x_t) = A^T M(t)^-1 (mu(t) y - A x_t), M(t) = mu^2 Sigma_eta + sigma^2 A A^T.
/// It treats mu y - A x_t = mu eta - sigma A z as Gaussian, which is exact at t = 0 (M = Sigma_eta) and an
/// approximation for t &gt; 0 that ignores the prior's information about x_0 given x_t (it over-weights the
/// likelihood at large t; see the tests for its size in the linear-Gaussian case). y and Sigma_eta are in the
/// observation's units; x in the operator's input units.
/// </summary>
public sealed class GaussianLikelihood : ILikelihood, IDisposable
{
    private readonly Tensor _y;   // (1 or B, C', H', W') float64, NaN -> 0
    private readonly ConvolvedCovariance _covariance;
    private readonly Sde _sde;
    private readonly DeviceCopies _devices = new();

    /// <param name="a">forward model (linear).</param>
    /// <param name="observation">y, (C', H', W') or (1, C', H', W'), or (B, C', H', W') with one observation per batch item; NaN pixels must be masked in <paramref name="noise"/>.</param>
    /// <param name="noise">Sigma_eta (white, per-pixel or dense; with the observation mask).</param>
    /// <param name="sde">the prior's SDE (mu(t), sigma(t)).</param>
    /// <param name="form">how M(t)^-1 is computed (exact dense for small stamps by default).</param>
    public GaussianLikelihood(ForwardOperator a, Tensor observation, GaussianNoise noise, Sde sde, CovarianceForm form = CovarianceForm.Auto)
    {
        if (!a.IsLinear) throw new ArgumentException($"the Gaussian likelihood needs a linear forward model; {a.Name} is not");
        Operator = a;
        _sde = sde;
        _y = ObservationTensor.Prepare(observation, a.OutputShape);
        _covariance = new ConvolvedCovariance(a, noise, form);
        Noise = noise;
    }

    public ForwardOperator Operator { get; }
    public GaussianNoise Noise { get; }
    public CovarianceForm Form => _covariance.Form;

    public Tensor Score(Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var mu = _sde.Mu(t);
        var sigma = _sde.Sigma(t);
        var ax = Operator.Apply(x);
        var y = _devices.Like(_y, x);
        var r = y.Mul(PerSample.Broadcast(mu, ax)).Sub(ax);       // mu y - A x (y broadcasts over the batch)
        var u = _covariance.Solve(r, mu, sigma);
        return Operator.Adjoint(u).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _devices.Dispose();
        _y.Dispose();
        _covariance.Dispose();
    }
}
