using Scorpio.Data;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// The random draws of a training loss for its batch: times, noise levels and noise come from one generator, drawn for
/// the whole global batch and cut to this process's rows (<see cref="BatchShard"/>). Every rank of a data-parallel run
/// advances the generator exactly as a single process with the whole batch would, so sample j of step s gets the same
/// draws whatever the number of processes, and a checkpoint's generator state resumes any world size. Drawing the
/// whole batch costs one small kernel per draw on every rank; the network evaluation dominates.
/// </summary>
public sealed class BatchDraws
{
    private readonly Generator _rng;
    private readonly BatchShard? _shard;

    /// <param name="rng">the generator (its state is checkpointed).</param>
    /// <param name="shard">this process's rows of the global batch; null = the batch given is the whole batch.</param>
    public BatchDraws(Generator rng, BatchShard? shard = null)
    {
        _rng = rng ?? throw new ArgumentNullException(nameof(rng));
        _shard = shard;
    }

    /// <summary>Draws for a whole batch from <paramref name="rng"/> (one process).</summary>
    public static implicit operator BatchDraws(Generator rng) => new(rng);

    /// <summary>
    /// The global batch size of a local batch of <paramref name="localBatch"/> rows: losses average over it, so the sum of
    /// the ranks' losses (and of their gradients) is the whole batch's.
    /// </summary>
    public long GlobalBatch(long localBatch) => _shard is { } s ? s.Global : localBatch;

    /// <summary>N(0, 1) of <paramref name="shape"/> (local batch first).</summary>
    public Tensor Randn(long[] shape, DType dtype = DType.Float32, Device? device = null) => Draw(shape, s => torch.Randn(s, _rng, dtype, device));

    /// <summary>N(0, 1) shaped like <paramref name="like"/>.</summary>
    public Tensor RandnLike(Tensor like) => Randn(like.Shape, like.DType, like.Device);

    /// <summary>U[0, 1) of <paramref name="shape"/>.</summary>
    public Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null) => Draw(shape, s => torch.Rand(s, _rng, dtype, device));

    /// <summary>Integers uniform in [0, <paramref name="high"/>) of <paramref name="shape"/>.</summary>
    public Tensor RandInt(long high, long[] shape, Device? device = null) => Draw(shape, s => torch.RandInt(0, high, s, _rng, device));

    private Tensor Draw(long[] shape, Func<long[], Tensor> draw)
    {
        if (_shard is not { } s) return draw(shape);
        if (shape.Length == 0 || shape[0] != s.Count)
            throw new ArgumentException($"this process computes {s.Count} rows of the batch; a draw of shape ({string.Join(", ", shape)}) must have them first");
        if (s.IsWhole) return draw(shape);
        using var all = draw([s.Global, .. shape[1..]]);
        return all.Narrow(0, s.Offset, s.Count);
    }
}
