using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// Variance preserving with the iDDPM cosine schedule (Nichol and Dhariwal 2021), continuous in t:
/// alpha_bar(t) = cos^2(((t+s)/(1+s)) pi/2) / cos^2(s/(1+s) pi/2), s = 0.008; mu = sqrt(alpha_bar).
/// beta(t) = -d ln alpha_bar / dt is capped where alpha_bar reaches ~0 (the paper clips betas at 0.999).
/// </summary>
public sealed class CosineVpSde(double s = 0.008) : AlphaBarSde
{
    /// <summary>Smallest alpha_bar (the schedule would reach 0 at t = 1).</summary>
    private const double AlphaBarFloor = 1e-12;

    public double S { get; } = s;
    public override string Name => "vp-cosine";
    private double F(double t) => Math.Cos((t + S) / (1 + S) * Math.PI / 2);
    public override double AlphaBar(double t) => Math.Max(Math.Pow(F(t) / F(0), 2), AlphaBarFloor);
    // The last 0.1% of the schedule would give alpha_bar = 0 exactly; stop just short (as clipping does).
    public override double T => 0.9946;
    public double Beta(double t) => Math.Min(Math.PI / (1 + S) * Math.Tan((t + S) / (1 + S) * Math.PI / 2), 1000.0);
    public override double DriftCoefficient(double t) => -Beta(t) / 2;
    public override double Diffusion(double t) => Math.Sqrt(Beta(t));
    public override double PriorSigma => 1.0;

    /// <summary>alpha_bar for a batch of times, float64.</summary>
    public override Tensor AlphaBar(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var f = Float64(t).Add(S).Mul(Math.PI / (2 * (1 + S))).Cos();
        return f.Div(F(0)).Square().Clamp(AlphaBarFloor).MoveToOuterDisposeScope();
    }

    /// <summary>alpha_bar = 1/(1 + r^2), then the schedule's angle from cos = sqrt(alpha_bar) cos(s/(1+s) pi/2).</summary>
    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        var r = Float64(ratio);
        var c = r.Square().Add(1.0).Rsqrt().Mul(F(0)).Clamp(0.0, 1.0);
        var sine = c.Square().Neg().Add(1.0).Clamp(0.0).Sqrt();
        var angle = torch.Atan2(sine, c);                                 // acos(c)
        var t = angle.Mul(2 * (1 + S) / Math.PI).Sub(S);
        return ClampTime(t).MoveToOuterDisposeScope();
    }
}
