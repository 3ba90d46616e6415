using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Models;

/// <summary>
/// DDPM's epsilon prediction (Ho et al. 2020): eps = F(x_i, c), score = -eps / sqrt(1 - alpha_bar_i), sigma s = -eps. The
/// condition is the step index i for a sinusoidal embedding (as the galaxy paper's U-Net), or (i + 1) / N for a Fourier one.
/// </summary>
public sealed class EpsilonParametrisation(DdpmSde sde, bool sinusoidal) : Parametrisation(sde)
{
    /// <summary>The discrete chain.</summary>
    public DdpmSde Chain { get; } = sde;

    /// <summary>True when the network's embedding is sinusoidal (condition = step index).</summary>
    public bool Sinusoidal { get; } = sinusoidal;

    public override string Name => "epsilon";
    public override string DefaultLoss => "ddpm-l2";

    public override Tensor Condition(Tensor t)
    {
        using var index = Chain.Index(t);
        return Sinusoidal ? index.To(DType.Float64) : Chain.TimeOf(index);
    }

    /// <summary>The network's noise prediction eps(x_t, t).</summary>
    public Tensor PredictEpsilon(ScoreNetwork network, Tensor x, Tensor t) => Forward(network, x, t);

    public override Tensor SigmaScore(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var eps = PredictEpsilon(network, x, t);
        return eps.Neg();
    }

    /// <summary>-eps / sqrt(1 - alpha_bar).</summary>
    public override Tensor Score(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var eps = PredictEpsilon(network, x, t);
        var factor = PerSample.Broadcast(Sde.Sigma(t).Reciprocal().Neg(), x);
        return eps.Mul(factor).MoveToOuterDisposeScope();
    }

    public override ITrainingLoss? Loss(string name) => name switch
    {
        "ddpm-l2" or "ddpm" => new DdpmEpsilonLoss(this, l1: false),
        "ddpm-l1" => new DdpmEpsilonLoss(this, l1: true),
        _ => base.Loss(name),
    };
}
