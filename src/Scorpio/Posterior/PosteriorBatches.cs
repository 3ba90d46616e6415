using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>The batch loop shared by <c>scorpio posterior</c>, <c>inpaint</c> and <c>transfer</c>.</summary>
public static class PosteriorBatches
{
    /// <summary>
    /// Draws <paramref name="count"/> samples in batches of at most <paramref name="batch"/> and concatenates them;
    /// <paramref name="draw"/>(n, noise) returns n samples, and the batch of samples [s, s + n) draws from
    /// <see cref="SampleNoise.PerSample"/>(seed, s, n, device, stream), so sample k is the same whatever the batch size.
    /// </summary>
    public static Tensor Draw(int count, int batch, long seed, Device device, Func<int, SampleNoise, Tensor> draw, int stream = 0)
    {
        var parts = new List<Tensor>();
        try
        {
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                using var noise = SampleNoise.PerSample(seed, start, n, device, stream);
                parts.Add(draw(n, noise).DetachFromDisposeScope());
            }
            return torch.Cat(parts.ToArray(), 0);
        }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
