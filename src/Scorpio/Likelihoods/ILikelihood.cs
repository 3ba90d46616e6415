using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// The likelihood term of the posterior score, grad_x log p_t(y | x_t), for y = A x + eta and the prior's
/// forward process x_t = mu(t) x_0 + sigma(t) z. x is a batch (B, C, H, W) in the units the operator takes
/// (the prior's normalised units once <see cref="Posterior.PriorUnits"/> has folded the normalisation into A and y).
/// </summary>
public interface ILikelihood
{
    /// <summary>The forward model A.</summary>
    ForwardOperator Operator { get; }

    /// <summary>
    /// grad_x log p_t(y | x) at times <paramref name="t"/> (B,) of the prior's SDE, one per batch item, on x's device;
    /// a new tensor shaped like x. Makes no host reads.
    /// </summary>
    Tensor Score(Tensor x, Tensor t);
}
