using Scorpio.Diffusion;
using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// DDPM's simplified objective (Ho et al. 2020; Smith et al. 2022): step i ~ U{0..N-1},
/// x_i = sqrt(abar_i) x_0 + sqrt(1 - abar_i) z, L = mean || z - eps(x_i, i) ||^2 (L2), or the mean
/// absolute error (L1, as astroddpm trains). Averaged over every element, as in the paper's code.
/// </summary>
public sealed class DdpmEpsilonLoss(EpsilonParametrisation parametrisation, bool l1 = false) : ITrainingLoss
{
    /// <summary>True for the L1 variant.</summary>
    public bool L1 { get; } = l1;

    public string Name => L1 ? "ddpm-l1" : "ddpm-l2";

    public Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws)
    {
        var chain = parametrisation.Chain;
        long b = x0.Size(0);
        using var scope = torch.NewDisposeScope();
        var steps = draws.RandInt(chain.Steps, [b], x0.Device);
        var t = chain.TimeOf(steps);
        var z = draws.RandnLike(x0);
        var xt = chain.Perturb(x0, t, z);
        var eps = parametrisation.PredictEpsilon(model.Network, xt, t);
        var mean = L1 ? torch.L1Loss(eps, z) : torch.MseLoss(eps, z);
        // This process's share of the global batch's mean (the whole mean with one process).
        long global = draws.GlobalBatch(b);
        return (global == b ? mean : mean.Mul((double)b / global)).MoveToOuterDisposeScope();
    }
}
