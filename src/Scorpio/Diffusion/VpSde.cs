using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// Variance preserving with linear beta(t) = b_min + (b_max - b_min) t (Song et al. 2021):
/// mu = exp(-B(t)/2), B(t) = b_min t + (b_max - b_min) t^2 / 2, sigma = sqrt(1 - mu^2).
/// </summary>
public sealed class VpSde(double betaMin = 0.1, double betaMax = 20.0) : IntegratedBetaSde
{
    public double BetaMin { get; } = betaMin;
    public double BetaMax { get; } = betaMax;
    public override string Name => "vp";
    public override double Beta(double t) => BetaMin + (BetaMax - BetaMin) * t;
    public override double IntegratedBeta(double t) => BetaMin * t + (BetaMax - BetaMin) * t * t / 2;

    public override Tensor IntegratedBeta(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var t64 = Float64(t);
        return t64.Mul(BetaMin).Add(t64.Square(), (BetaMax - BetaMin) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>The time at which B(t) = <paramref name="b"/> (the positive root of the quadratic), float64.</summary>
    public Tensor TimeOfIntegratedBeta(Tensor b)
    {
        double slope = BetaMax - BetaMin;
        if (slope == 0) return b.Div(BetaMin);
        using var scope = torch.NewDisposeScope();
        return b.Mul(2 * slope).Add(BetaMin * BetaMin).Sqrt().Sub(BetaMin).Div(slope).MoveToOuterDisposeScope();
    }

    /// <summary>sigma/mu = sqrt(e^B - 1), so B = ln(1 + r^2).</summary>
    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        var t = TimeOfIntegratedBeta(Float64(ratio).Square().Log1p());
        return ClampTime(t).MoveToOuterDisposeScope();
    }
}
