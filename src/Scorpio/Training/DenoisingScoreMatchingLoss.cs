using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// Denoising score matching with lambda(t) = sigma(t)^2 (Song et al. 2021; Legin et al. 2023, eq. 6):
/// t ~ U[eps, T], z ~ N(0, I), x_t = mu(t) x_0 + sigma(t) z, and
/// L = sum_i || sigma(t_i) s(x_t, t_i) + z_i ||^2 / (2 B), i.e. sigma times the score is regressed on -z
/// (score_models' convention: summed over pixels, averaged over the batch). Applies to every parametrisation.
/// </summary>
public sealed class DenoisingScoreMatchingLoss : ITrainingLoss
{
    public string Name => "dsm";

    public Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws)
    {
        var sde = model.Sde;
        long b = x0.Size(0);
        using var scope = torch.NewDisposeScope();
        var u = draws.Rand([b], x0.DType, x0.Device);
        var t = u.Mul(sde.T - sde.Epsilon).Add(sde.Epsilon);
        var z = draws.RandnLike(x0);
        var xt = sde.Perturb(x0, t, z);
        var n = model.SigmaScore(xt, t);
        var residual = n.Add(z);
        return residual.Square().Sum().Div(2.0 * draws.GlobalBatch(b)).MoveToOuterDisposeScope();
    }
}
