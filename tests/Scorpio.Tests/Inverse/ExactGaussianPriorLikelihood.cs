using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// The exact likelihood score grad log p_t(y | x_t) for a Gaussian prior (only then is it tractable): the exact
/// posterior score minus the prior score. With it every sampler should reproduce the closed-form posterior, which
/// tests the samplers and <see cref="Posterior.PosteriorScore"/> independently of the convolved approximation.
/// </summary>
internal sealed class ExactGaussianPriorLikelihood(LinearGaussianProblem problem) : ILikelihood
{
    public ForwardOperator Operator => problem.Operator;

    public Tensor Score(Tensor x, double t)
    {
        using var scope = torch.NewDisposeScope();
        var (p, q) = problem.ExactScore(t);
        var flat = x.To(DType.Float64).Reshape(x.Size(0), -1);
        var posterior = q.Sub(flat.Matmul(p));   // -P x + q (P symmetric)
        using var tt = torch.Full([x.Size(0)], t, DType.Float64);
        var prior = problem.Prior.Score(x.To(DType.Float64), tt).Reshape(x.Size(0), -1);
        return posterior.Sub(prior).Reshape(x.Shape).To(x.DType).MoveToOuterDisposeScope();
    }
}
