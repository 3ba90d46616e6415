using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>Variance exploding: mu = 1, sigma(t) = s_min (s_max/s_min)^t (Song et al. 2021).</summary>
public sealed class VeSde(double sigmaMin = 0.01, double sigmaMax = 50.0) : Sde
{
    public double SigmaMin { get; } = sigmaMin;
    public double SigmaMax { get; } = sigmaMax;
    public override string Name => "ve";
    public override double Epsilon => 0.0;
    public override double Mu(double t) => 1.0;
    public override double Sigma(double t) => SigmaMin * Math.Pow(SigmaMax / SigmaMin, t);
    public override double DriftCoefficient(double t) => 0.0;
    // d sigma^2/dt = 2 sigma^2 ln(smax/smin)
    public override double Diffusion(double t) => Sigma(t) * Math.Sqrt(2 * Math.Log(SigmaMax / SigmaMin));

    public override Tensor Mu(Tensor t) => torch.Ones(t.Shape, DType.Float64, t.Device);

    public override Tensor Sigma(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return Float64(t).Mul(Math.Log(SigmaMax / SigmaMin)).Exp().Mul(SigmaMin).MoveToOuterDisposeScope();
    }

    public override double TimeOfNoiseRatio(double ratio) => Math.Clamp(Math.Log(ratio / SigmaMin) / Math.Log(SigmaMax / SigmaMin), Epsilon, T);

    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        var t = Float64(ratio).Div(SigmaMin).Log().Div(Math.Log(SigmaMax / SigmaMin));
        return ClampTime(t).MoveToOuterDisposeScope();
    }
}
