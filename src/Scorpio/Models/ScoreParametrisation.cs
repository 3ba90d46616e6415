using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Models;

/// <summary>
/// The sigma-scaled score of Song et al. (2021), as score_models trains VE, VP, sub-VP and cosine models: the network
/// predicts n = sigma(t) s(x, t), so score = F(x, c) / sigma(t). The condition c is t for a Gaussian Fourier embedding,
/// or 999 t for a sinusoidal one (the scale at which Song et al.'s DDPM++ feeds continuous time to DDPM's embedding).
/// </summary>
public sealed class ScoreParametrisation(Sde sde, bool sinusoidal) : Parametrisation(sde)
{
    /// <summary>True when the network's embedding is sinusoidal (condition 999 t).</summary>
    public bool Sinusoidal { get; } = sinusoidal;

    public override string Name => "score";
    public override string DefaultLoss => "dsm";

    public override Tensor Condition(Tensor t)
    {
        using var t64 = t.To(DType.Float64);
        return Sinusoidal ? t64.Mul(999.0) : t64.Alias();
    }

    public override Tensor SigmaScore(ScoreNetwork network, Tensor x, Tensor t) => Forward(network, x, t);
}
