using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>The batch loop shared by <c>scorpio posterior</c>, <c>inpaint</c> and <c>transfer</c>.</summary>
internal static class PosteriorBatches
{
    /// <summary>
    /// Draws <paramref name="count"/> samples in batches of at most <paramref name="batch"/> and concatenates them;
    /// <paramref name="draw"/>(n, rng) returns n samples, and batch k gets a generator on <paramref name="device"/> seeded
    /// <paramref name="seed"/> + k (so results do not depend on threads).
    /// </summary>
    public static Tensor Draw(int count, int batch, long seed, Device device, Func<int, Generator, Tensor> draw)
    {
        var parts = new List<Tensor>();
        try
        {
            for (int start = 0, k = 0; start < count; start += batch, k++)
            {
                int n = Math.Min(batch, count - start);
                using var rng = new Generator((ulong)(seed + k), device);
                parts.Add(draw(n, rng).DetachFromDisposeScope());
            }
            return torch.Cat(parts.ToArray(), 0);
        }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
