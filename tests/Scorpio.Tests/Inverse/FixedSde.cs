using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>An "SDE" with constant mu and sigma at every time: lets a likelihood be evaluated at chosen (mu, sigma), e.g. sigma = 0 (t = 0).</summary>
internal sealed class FixedSde(double mu, double sigma) : Sde
{
    public override string Name => "fixed";
    public override double Mu(double t) => mu;
    public override double Sigma(double t) => sigma;
    public override double DriftCoefficient(double t) => 0;
    public override double Diffusion(double t) => 0;
    public override Tensor Mu(Tensor t) => torch.Full(t.Shape, mu, DType.Float64, t.Device);
    public override Tensor Sigma(Tensor t) => torch.Full(t.Shape, sigma, DType.Float64, t.Device);
    public override Tensor TimeOfNoiseRatio(Tensor ratio) => throw new NotSupportedException("a fixed (mu, sigma) has no time axis");
}
