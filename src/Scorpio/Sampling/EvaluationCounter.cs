using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Counts the evaluations of a score function (one per call, whatever the batch): every sampler, posterior method and
/// likelihood integral reports its network evaluations from one of these, so the numbers mean the same thing everywhere.
/// </summary>
public sealed class EvaluationCounter : IScoreFunction
{
    private EvaluationCounter(IScoreFunction inner) => Inner = inner;

    /// <summary>The counted score function.</summary>
    public IScoreFunction Inner { get; }

    /// <summary>Evaluations so far.</summary>
    public long Count { get; private set; }

    /// <summary><paramref name="score"/> itself when it is already counted (nested loops share one count), else a new counter.</summary>
    public static EvaluationCounter Wrap(IScoreFunction score) => score as EvaluationCounter ?? new EvaluationCounter(score);

    public Tensor Score(Tensor x, Tensor t)
    {
        Count++;
        return Inner.Score(x, t);
    }
}
