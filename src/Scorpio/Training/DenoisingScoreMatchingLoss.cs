using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// Denoising score matching with lambda(t) = sigma(t)^2 (seed 003 eq. 6; Song et al. 2021):
/// t ~ U[eps, T], z ~ N(0, I), x_t = mu(t) x_0 + sigma(t) z, and
/// L = sum_i || sigma(t_i) s(x_t, t_i) + z_i ||^2 / (2 B), i.e. the network output n = sigma s is
/// regressed on -z (score_models' convention: summed over pixels, averaged over the batch).
/// </summary>
public sealed class DenoisingScoreMatchingLoss : ITrainingLoss
{
    public string Name => "dsm";

    public Tensor Compute(ScoreModel model, Tensor x0, Generator rng)
    {
        var sde = model.Sde;
        long b = x0.Size(0);
        using var u = torch.Rand([b], rng, x0.DType, x0.Device);
        using var t = u.Mul(sde.T - sde.Epsilon).Add(sde.Epsilon);
        var times = t.ToDoubleArray();
        using var z = torch.RandnLike(x0, rng);
        using var mu = BatchScalars.Broadcast(times.Select(sde.Mu).ToArray(), x0);
        using var sigma = BatchScalars.Broadcast(times.Select(sde.Sigma).ToArray(), x0);
        using var mean = x0.Mul(mu);
        using var noise = z.Mul(sigma);
        using var xt = mean.Add(noise);
        using var n = model.SigmaScore(xt, t);
        using var residual = n.Add(z);
        using var sq = residual.Square();
        using var total = sq.Sum();
        return total.Div(2.0 * b);
    }
}
