using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>Wraps a score function and counts its evaluations (one per call, whatever the batch).</summary>
internal sealed class CountingScore(IScoreFunction inner) : IScoreFunction
{
    public long Calls { get; private set; }

    public Tensor Score(Tensor x, Tensor t)
    {
        Calls++;
        return inner.Score(x, t);
    }
}
