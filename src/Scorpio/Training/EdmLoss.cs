using Scorpio.Diffusion;
using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// EDM's objective (Karras et al. 2022, Table 1): ln sigma ~ N(P_mean, P_std^2) (-1.2, 1.2),
/// L = sum_i lambda(sigma_i) || D(x_0 + sigma_i z; sigma_i) - x_0 ||^2 / B with
/// lambda(sigma) = (sigma^2 + sigma_data^2) / (sigma sigma_data)^2, which makes the effective
/// target of F unit-variance at every noise level. Bound to the preconditioning that made it.
/// </summary>
public sealed class EdmLoss(EdmPreconditioning preconditioning) : ITrainingLoss
{
    public string Name => "edm";

    public Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws)
    {
        var p = preconditioning;
        long b = x0.Size(0);
        using var scope = torch.NewDisposeScope();
        var normal = draws.Randn([b], x0.DType, x0.Device);
        var sigma = normal.Mul(p.PStd).Add(p.PMean).Exp();
        var z = draws.RandnLike(x0);
        var noise = z.Mul(PerSample.Broadcast(sigma, x0));
        var xt = x0.Add(noise);
        var d = p.Denoise(model.Network, xt, sigma);
        var sq = d.Sub(x0).Square();
        var weighted = sq.Mul(PerSample.Broadcast(p.LossWeight(sigma), x0));
        return weighted.Sum().Div((double)draws.GlobalBatch(b)).MoveToOuterDisposeScope();
    }
}
