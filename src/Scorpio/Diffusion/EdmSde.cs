using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// EDM (Karras et al. 2022): sigma(t) = t, mu = 1, g(t) = sqrt(2t); time IS the noise level, in [SigmaMin, SigmaMax].
/// The network's preconditioning and training distribution belong to <see cref="Models.EdmPreconditioning"/>.
/// </summary>
public sealed class EdmSde(double sigmaMin = 0.002, double sigmaMax = 80.0) : Sde
{
    public double SigmaMin { get; } = sigmaMin;
    public double SigmaMax { get; } = sigmaMax;
    public override string Name => "edm";
    public override double T => SigmaMax;
    public override double Epsilon => SigmaMin;
    public override double Mu(double t) => 1.0;
    public override double Sigma(double t) => t;
    public override double DriftCoefficient(double t) => 0.0;
    public override double Diffusion(double t) => Math.Sqrt(2 * t);

    public override Tensor Mu(Tensor t) => torch.Ones(t.Shape, DType.Float64, t.Device);
    public override Tensor Sigma(Tensor t) => Float64(t);

    public override double TimeOfNoiseRatio(double ratio) => Math.Clamp(ratio, Epsilon, T);

    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var r = Float64(ratio);
        return ClampTime(r);
    }

    /// <summary>Uniform in t is uniform in sigma here, far too coarse at low noise: a uniform default becomes Karras's grid.</summary>
    public override string DefaultGrid(string samplerDefault) => samplerDefault == "uniform" ? "karras" : samplerDefault;
}
