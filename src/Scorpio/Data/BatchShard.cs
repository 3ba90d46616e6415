namespace Scorpio.Data;

/// <summary>
/// The rows of a global training batch that one process computes: rows [<see cref="Offset"/>, <see cref="Offset"/> +
/// <see cref="Count"/>) of <see cref="Global"/>. In data-parallel training rank r of W takes the contiguous block
/// [floor(r B / W), floor((r + 1) B / W)), so the blocks tile the batch and differ in size by at most one row.
/// </summary>
public readonly record struct BatchShard(int Global, int Offset, int Count)
{
    /// <summary>The whole batch (one process).</summary>
    public static BatchShard Whole(int batch) => new(batch, 0, batch);

    /// <summary>Rank <paramref name="rank"/>'s block of a batch of <paramref name="global"/> rows split over <paramref name="worldSize"/> ranks.</summary>
    public static BatchShard Of(int global, int rank, int worldSize)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of {worldSize}");
        if (global < worldSize) throw new ArgumentOutOfRangeException(nameof(global), $"a batch of {global} cannot give each of {worldSize} ranks a sample");
        int start = (int)((long)global * rank / worldSize), end = (int)((long)global * (rank + 1) / worldSize);
        return new BatchShard(global, start, end - start);
    }

    /// <summary>True when this shard is the whole batch.</summary>
    public bool IsWhole => Offset == 0 && Count == Global;
}
