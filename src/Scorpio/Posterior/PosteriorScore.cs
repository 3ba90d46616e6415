using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Posterior;

/// <summary>
/// grad_x log p_t(x_t | y) = grad_x log p_t(x_t) + grad_x log p_t(y | x_t) (Bayes; seed 000 eq. 3): a prior score
/// (a trained <see cref="Training.ScoreModel"/> or an analytic one) plus a likelihood score, as an
/// <see cref="IScoreFunction"/> so every sampler samples the posterior unchanged. Batch items with different
/// times are evaluated one by one (samplers normally pass one time for the whole batch).
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
        var times = t.ToDoubleArray();
        Evaluations++;
        if (times.All(v => v == times[0])) return Combine(x, t, times[0]);
        var parts = new Tensor[times.Length];
        try
        {
            for (int i = 0; i < times.Length; i++)
            {
                using var xi = x.Narrow(0, i, 1);
                using var ti = t.Narrow(0, i, 1);
                parts[i] = Combine(xi, ti, times[i]);
            }
            return torch.Cat(parts, 0);
        }
        finally { foreach (var p in parts) p?.Dispose(); }
    }

    private Tensor Combine(Tensor x, Tensor t, double time)
    {
        using var prior = Prior.Score(x, t);
        using var likelihood = Likelihood.Score(x, time);
        return prior.Add(likelihood, LikelihoodWeight);
    }
}
