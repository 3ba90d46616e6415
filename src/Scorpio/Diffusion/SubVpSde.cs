using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>Sub-VP: mu as VP, sigma(t) = 1 - exp(-B(t)), g^2 = beta(t)(1 - exp(-2B(t))) (Song et al. 2021).</summary>
public sealed class SubVpSde(double betaMin = 0.1, double betaMax = 20.0) : Sde
{
    private readonly VpSde _vp = new(betaMin, betaMax);
    public override string Name => "subvp";
    public override double Mu(double t) => _vp.Mu(t);
    public override double Sigma(double t) => -double.ExpM1(-_vp.IntegratedBeta(t));
    public override double DriftCoefficient(double t) => -_vp.Beta(t) / 2;
    public override double Diffusion(double t) => Math.Sqrt(_vp.Beta(t) * -double.ExpM1(-2 * _vp.IntegratedBeta(t)));
    public override double PriorSigma => 1.0;

    public override Tensor Mu(Tensor t) => _vp.Mu(t);

    public override Tensor Sigma(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return _vp.IntegratedBeta(t).Neg().Expm1().Neg().MoveToOuterDisposeScope();
    }

    /// <summary>sigma/mu = (1 - e^-B) e^(B/2) = 2 sinh(B/2), so B = 2 asinh(r/2).</summary>
    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        var t = _vp.TimeOfIntegratedBeta(Float64(ratio).Mul(0.5).Asinh().Mul(2));
        return ClampTime(t).MoveToOuterDisposeScope();
    }
}
