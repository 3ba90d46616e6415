using Scorpio.Diffusion;
using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// EDM's objective (Karras et al. 2022, Table 1): ln sigma ~ N(P_mean, P_std^2) (-1.2, 1.2),
/// L = sum_i lambda(sigma_i) || D(x_0 + sigma_i z; sigma_i) - x_0 ||^2 / B with
/// lambda(sigma) = (sigma^2 + sigma_data^2) / (sigma sigma_data)^2, which makes the effective
/// target of F unit-variance at every noise level. Needs the EDM SDE (the preconditioned denoiser D).
/// </summary>
public sealed class EdmLoss : ITrainingLoss
{
    public string Name => "edm";

    public Tensor Compute(ScoreModel model, Tensor x0, Generator rng)
    {
        if (model.Sde is not EdmSde edm) throw new InvalidOperationException($"the edm loss needs the EDM SDE, not {model.Sde.Name}; use dsm");
        long b = x0.Size(0);
        using var normal = torch.Randn([b], rng, x0.DType, x0.Device);
        using var logSigma = normal.Mul(edm.PStd).Add(edm.PMean);
        using var sigma = logSigma.Exp();
        var sigmas = sigma.ToDoubleArray();
        using var z = torch.RandnLike(x0, rng);
        using var s = BatchScalars.Broadcast(sigmas, x0);
        using var noise = z.Mul(s);
        using var xt = x0.Add(noise);
        using var d = model.Denoise(xt, sigma);
        using var err = d.Sub(x0);
        using var sq = err.Square();
        using var weight = BatchScalars.Broadcast(sigmas.Select(edm.LossWeight).ToArray(), x0);
        using var weighted = sq.Mul(weight);
        using var total = weighted.Sum();
        return total.Div((double)b);
    }
}
