using Scorpio.Operators;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.NoiseModels;

/// <summary>
/// Denoising score matching for a noise model with the modified perturbation kernel N(mu eta_0, sigma^2 A A^T)
/// (Adam et al. 2023 eq. 3 and 14): t ~ U[eps, T], z ~ N(0, I) on the model grid, eta_t = mu eta_0 + sigma A z, and the
/// network output n = sigma s(eta_t, t) is regressed on -F^-1[F(A z) / (|F Pi_k|^2 + lambda)] (eq. 17, the
/// circulant approximation of -(A A^T)^-1 A z; see <see cref="CirculantNoiseKernel"/>):
/// L = sum || n + F^-1[...] ||^2 / (2 B), score_models' normalisation. With A = identity and lambda = 0 it is the
/// plain <see cref="DenoisingScoreMatchingLoss"/>. Noise images are in the model's normalised units; A acts on
/// them as on physical images (the normalisation of noise must be linear: standardize or none).
/// </summary>
public sealed class ModifiedKernelDsmLoss(CirculantNoiseKernel kernel) : ITrainingLoss
{
    public string Name => LossName;

    /// <summary>The name recorded as training.loss in a noise model's config.json.</summary>
    public const string LossName = "dsm-modified-kernel";

    public CirculantNoiseKernel Kernel { get; } = kernel;

    public Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws)
    {
        var sde = model.Sde;
        var a = Kernel.Operator;
        long b = x0.Size(0);
        if (!x0.Shape.Skip(1).SequenceEqual(a.OutputShape))
            throw new Astro.UserInputException($"noise images are {string.Join("x", x0.Shape.Skip(1))} but the forward model observes {string.Join("x", a.OutputShape)}");
        using var scope = torch.NewDisposeScope();
        var u = draws.Rand([b], x0.DType, x0.Device);
        var t = u.Mul(sde.T - sde.Epsilon).Add(sde.Epsilon);
        var z = draws.Randn([b, .. a.InputShape], x0.DType, x0.Device);
        var az = a.Apply(z);
        var xt = sde.Perturb(x0, t, az);                           // mu eta_0 + sigma A z
        var target = Kernel.Whiten(az);
        var n = model.SigmaScore(xt, t);
        var loss = n.Add(target).Square().Sum().Div(2.0 * draws.GlobalBatch(b));
        return loss.MoveToOuterDisposeScope();
    }
}
