using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// A variance-preserving SDE given by its beta(t) and integral B(t) (Song et al. 2021): dx = -beta x / 2 dt + sqrt(beta) dw,
/// mu = exp(-B/2), sigma = sqrt(1 - mu^2), prior N(0, I).
/// </summary>
public abstract class IntegratedBetaSde : Sde
{
    /// <summary>beta(t).</summary>
    public abstract double Beta(double t);

    /// <summary>B(t), the integral of beta from 0 to t.</summary>
    public abstract double IntegratedBeta(double t);

    /// <summary>B(t) for a batch of times, (B,) float64.</summary>
    public abstract Tensor IntegratedBeta(Tensor t);

    public override double Mu(double t) => Math.Exp(-IntegratedBeta(t) / 2);
    public override double Sigma(double t) => Math.Sqrt(-double.ExpM1(-IntegratedBeta(t)));
    public override double DriftCoefficient(double t) => -Beta(t) / 2;
    public override double Diffusion(double t) => Math.Sqrt(Beta(t));
    protected override double PriorDataVariance => 1.0;
    public override double PriorSigma => 1.0;

    public override Tensor Mu(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return IntegratedBeta(t).Mul(-0.5).Exp().MoveToOuterDisposeScope();
    }

    public override Tensor Sigma(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return IntegratedBeta(t).Neg().Expm1().Neg().Sqrt().MoveToOuterDisposeScope();
    }
}
