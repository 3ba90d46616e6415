using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// A variance-preserving SDE given by its schedule alpha_bar(t), the fraction of the signal's variance left at t:
/// mu = sqrt(alpha_bar), sigma = sqrt(1 - alpha_bar) (Ho et al. 2020; Nichol and Dhariwal 2021).
/// </summary>
public abstract class AlphaBarSde : Sde
{
    /// <summary>alpha_bar at time t.</summary>
    public abstract double AlphaBar(double t);

    /// <summary>alpha_bar for a batch of times, (B,) float64.</summary>
    public abstract Tensor AlphaBar(Tensor t);

    public override double Mu(double t) => Math.Sqrt(AlphaBar(t));
    public override double Sigma(double t) => Math.Sqrt(1 - AlphaBar(t));

    public override Tensor Mu(Tensor t)
    {
        using var ab = AlphaBar(t);
        return ab.Sqrt();
    }

    public override Tensor Sigma(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return AlphaBar(t).Neg().Add(1.0).Sqrt().MoveToOuterDisposeScope();
    }
}
