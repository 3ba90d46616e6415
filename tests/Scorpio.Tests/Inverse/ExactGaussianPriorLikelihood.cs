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

    public Tensor Score(Tensor x, Tensor times)
    {
        // The closed form is built per time on the host (a test helper may read t; samplers pass one time per batch).
        var all = times.ToDoubleArray();
        double t = all[0];
        if (all.Any(v => v != t)) throw new ArgumentException("the exact Gaussian likelihood takes one time for the whole batch");
        using var scope = torch.NewDisposeScope();
        var (p, q) = problem.ExactScore(t);
        var flat = x.To(DType.Float64).Reshape(x.Size(0), -1);
        var posterior = q.Sub(flat.Matmul(p));   // -P x + q (P symmetric)
        using var tt = torch.Full([x.Size(0)], t, DType.Float64);
        var prior = problem.Prior.Score(x.To(DType.Float64), tt).Reshape(x.Size(0), -1);
        return posterior.Sub(prior).Reshape(x.Shape).To(x.DType).MoveToOuterDisposeScope();
    }
}
