using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Models;

/// <summary>
/// EDM's preconditioning (Karras et al. 2022, Table 1), t = sigma: D(x; sigma) = c_skip x + c_out F(c_in x, c_noise) with
/// c_skip = sd^2 / (sigma^2 + sd^2), c_out = sigma sd / sqrt(sigma^2 + sd^2), c_in = 1 / sqrt(sigma^2 + sd^2),
/// c_noise = ln(sigma) / 4, sd = sigma_data; score = (D - x) / sigma^2. Training draws ln sigma ~ N(P_mean, P_std^2)
/// (<see cref="EdmLoss"/>).
/// </summary>
public sealed class EdmPreconditioning(EdmSde sde, double sigmaData = 0.5, double pMean = -1.2, double pStd = 1.2) : Parametrisation(sde)
{
    /// <summary>Standard deviation of the (normalised) data assumed by the preconditioning, 0.5 by default.</summary>
    public double SigmaData { get; } = sigmaData;
    /// <summary>Mean of ln sigma in training (-1.2).</summary>
    public double PMean { get; } = pMean;
    /// <summary>Standard deviation of ln sigma in training (1.2).</summary>
    public double PStd { get; } = pStd;

    public override string Name => "edm";
    public override string DefaultLoss => "edm";

    public override Tensor Condition(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return t.To(DType.Float64).Log().Div(4.0).MoveToOuterDisposeScope();
    }

    /// <summary>D(x; sigma) for sigma = <paramref name="t"/> (B,).</summary>
    public override Tensor Denoise(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        double sd2 = SigmaData * SigmaData;
        var sigma = t.To(DType.Float64);
        var total = sigma.Square().Add(sd2);                      // sigma^2 + sd^2
        var root = total.Sqrt();
        var cSkip = PerSample.Broadcast(torch.FullLike(total, sd2).Div(total), x);
        var cOut = PerSample.Broadcast(sigma.Mul(SigmaData).Div(root), x);
        var cIn = PerSample.Broadcast(root.Reciprocal(), x);
        var f = Forward(network, x.Mul(cIn), t);
        return x.Mul(cSkip).Add(f.Mul(cOut)).MoveToOuterDisposeScope();
    }

    /// <summary>(D - x) / sigma^2.</summary>
    public override Tensor Score(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var d = Denoise(network, x, t);
        var inverse = PerSample.Broadcast(t.To(DType.Float64).Square().Reciprocal(), x);
        return d.Sub(x).Mul(inverse).MoveToOuterDisposeScope();
    }

    /// <summary>(D - x) / sigma, without dividing by sigma twice (better conditioned at small sigma).</summary>
    public override Tensor SigmaScore(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var d = Denoise(network, x, t);
        var inverse = PerSample.Broadcast(t.To(DType.Float64).Reciprocal(), x);
        return d.Sub(x).Mul(inverse).MoveToOuterDisposeScope();
    }

    /// <summary>lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2, EDM's loss weight, (B,) float64.</summary>
    public Tensor LossWeight(Tensor sigma)
    {
        using var scope = torch.NewDisposeScope();
        var s = sigma.To(DType.Float64);
        return s.Square().Add(SigmaData * SigmaData).Div(s.Mul(SigmaData).Square()).MoveToOuterDisposeScope();
    }

    public override ITrainingLoss? Loss(string name) => name == "edm" ? new EdmLoss(this) : base.Loss(name);
}
