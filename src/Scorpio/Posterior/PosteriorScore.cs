using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Posterior;

/// <summary>
/// grad_x log p_t(x_t | y) = grad_x log p_t(x_t) + grad_x log p_t(y | x_t) (Bayes; Salhi et al. 2024 eq. 3): a prior score
/// (a trained <see cref="Models.ScoreModel"/> or an analytic one) plus a likelihood score, as an
/// <see cref="IScoreFunction"/> so every sampler samples the posterior unchanged. Each batch item may have its own time.
/// </summary>
public sealed class PosteriorScore(IScoreFunction prior, ILikelihood likelihood) : IScoreFunction
{
    public IScoreFunction Prior { get; } = prior;
    public ILikelihood Likelihood { get; } = likelihood;

    /// <summary>Multiplies the likelihood score (1 = Bayes' rule; other values temper the likelihood).</summary>
    public double LikelihoodWeight { get; init; } = 1.0;

    /// <summary>Number of score evaluations so far (for timings and summaries).</summary>
    public long Evaluations { get; private set; }

    public Tensor Score(Tensor x, Tensor t)
    {
        Evaluations++;
        using var prior = Prior.Score(x, t);
        using var likelihood = Likelihood.Score(x, t);
        return prior.Add(likelihood, LikelihoodWeight);
    }
}
