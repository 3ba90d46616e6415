using Scorpio.Diffusion;
using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// DDPM's simplified objective (Ho et al. 2020; seed 001): step i ~ U{0..N-1},
/// x_i = sqrt(abar_i) x_0 + sqrt(1 - abar_i) z, L = mean || z - eps(x_i, i) ||^2 (L2), or the mean
/// absolute error (L1, as astroddpm trains). Averaged over every element, as in the paper's code.
/// </summary>
public sealed class DdpmEpsilonLoss(bool l1 = false) : ITrainingLoss
{
    /// <summary>True for the L1 variant.</summary>
    public bool L1 { get; } = l1;

    public string Name => L1 ? "ddpm-l1" : "ddpm-l2";

    public Tensor Compute(ScoreModel model, Tensor x0, Generator rng)
    {
        if (model.Sde is not DdpmSde ddpm) throw new InvalidOperationException($"the {Name} loss needs the DDPM SDE, not {model.Sde.Name}; use dsm");
        long b = x0.Size(0);
        using var steps = torch.RandInt(0, ddpm.Steps, [b], rng, x0.Device);
        var idx = steps.ToArray<long>();
        using var z = torch.RandnLike(x0, rng);
        using var mu = BatchScalars.Broadcast(idx.Select(i => Math.Sqrt(ddpm.AlphaBars[i])).ToArray(), x0);
        using var sigma = BatchScalars.Broadcast(idx.Select(i => Math.Sqrt(1 - ddpm.AlphaBars[i])).ToArray(), x0);
        using var mean = x0.Mul(mu);
        using var noise = z.Mul(sigma);
        using var xt = mean.Add(noise);
        using var eps = model.PredictEpsilon(xt, steps);
        return L1 ? torch.L1Loss(eps, z) : torch.MseLoss(eps, z);
    }
}
