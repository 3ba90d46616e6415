using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// The variance-preserving SDE of score_models 0.6's VPSDE(schedule="cosine"), reproduced exactly so that its models
/// import: the integrated beta is B(t) = -2 ln cos(pi t / 2) (the cosine schedule of Nichol and Dhariwal 2021 with
/// offset s = 0) up to t_c = (2/pi) atan(beta_max / pi), where beta(t) = pi tan(pi t / 2) reaches beta_max, and
/// B(t) = beta_max t after it; mu = exp(-B/2), sigma = sqrt(1 - mu^2). score_models' B jumps at t_c (from
/// ln(1 + (beta_max/pi)^2) to beta_max t_c: mu falls from 0.16 to 1.2e-4 for beta_max 20), which is kept: an imported
/// network was trained on exactly these noise levels. Unlike <see cref="CosineVpSde"/> (s = 0.008, alpha_bar floor).
/// </summary>
public sealed class ClippedCosineVpSde(double betaMax = 20.0) : IntegratedBetaSde
{
    public double BetaMax { get; } = betaMax;
    /// <summary>Where pi tan(pi t / 2) reaches beta_max and the schedule turns linear.</summary>
    public double ClipTime => 2 / Math.PI * Math.Atan(BetaMax / Math.PI);
    public override string Name => "vp-cosine-clipped";
    public override double IntegratedBeta(double t) => t < ClipTime ? -2 * Math.Log(Math.Cos(Math.PI / 2 * t)) : BetaMax * t;
    public override double Beta(double t) => t < ClipTime ? Math.PI * Math.Tan(Math.PI / 2 * t) : BetaMax;

    public override Tensor IntegratedBeta(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var t64 = Float64(t);
        var cosine = t64.Mul(Math.PI / 2).Cos().Log().Mul(-2.0);
        var linear = t64.Mul(BetaMax);
        return torch.Where(t64.Lt(ClipTime), cosine, linear).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// sigma/mu = r gives B = ln(1 + r^2); the cosine branch inverts to t = (2/pi) acos(exp(-B/2)), the linear one to
    /// t = B / beta_max; ratios inside the jump at t_c map to t_c.
    /// </summary>
    public override double TimeOfNoiseRatio(double ratio)
    {
        double b = Math.Log(1 + ratio * ratio), tc = ClipTime;
        double t = b < IntegratedBeta(tc - 1e-15) ? 2 / Math.PI * Math.Acos(Math.Exp(-b / 2)) : b < BetaMax * tc ? tc : b / BetaMax;
        return Math.Clamp(t, Epsilon, T);
    }

    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        double tc = ClipTime, bc = IntegratedBeta(tc - 1e-15);
        var b = Float64(ratio).Square().Log1p();
        var c = b.Mul(-0.5).Exp().Clamp(0.0, 1.0);
        var cosine = torch.Atan2(c.Square().Neg().Add(1.0).Clamp(0.0).Sqrt(), c).Mul(2 / Math.PI);   // acos(c)
        var linear = b.Div(BetaMax).Clamp(tc);
        var t = torch.Where(b.Lt(bc), cosine, linear);
        return ClampTime(t).MoveToOuterDisposeScope();
    }
}
