using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The random draws of a batch of samples. Two modes:
/// <list type="bullet">
/// <item><see cref="PerSample"/>: one generator per sample, seeded from the run's seed and the sample's index in the run
/// (<see cref="SeedFor"/>), so sample k of a run gets the same draws whatever the batch size, the number of batches or
/// the shard of a cluster job it falls in. Every command that draws samples uses this rule.</item>
/// <item><see cref="Shared"/> (also an implicit conversion from <see cref="Generator"/>): one generator draws the whole
/// batch at once, as libtorch does; tests and training use it.</item>
/// </list>
/// Draws in per-sample mode cost one small kernel per sample; against a network evaluation per step that is negligible.
/// </summary>
public sealed class SampleNoise : IDisposable
{
    private readonly Generator? _shared;
    private readonly Generator[]? _perSample;
    private readonly (long Seed, long Index)[]? _origins;   // per-sample mode: the run seed and sample index of each generator
    private readonly int _stream;
    private readonly Device _device;

    private SampleNoise(Generator shared)
    {
        _shared = shared;
        _device = shared.Device;
    }

    private SampleNoise((long Seed, long Index)[] origins, Device device, int stream)
    {
        if (origins.Length < 1) throw new ArgumentOutOfRangeException(nameof(origins), "a batch holds at least one sample (got 0)");
        _perSample = origins.Select(o => new Generator(SeedFor(o.Seed, o.Index, stream), device)).ToArray();
        _origins = origins;
        _stream = stream;
        _device = device;
    }

    /// <summary>One generator for the whole batch (not owned: disposing this object leaves it alive).</summary>
    public static SampleNoise Shared(Generator generator) => new(generator ?? throw new ArgumentNullException(nameof(generator)));

    public static implicit operator SampleNoise(Generator generator) => Shared(generator);

    /// <summary>
    /// Generators for samples <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 of a run
    /// seeded <paramref name="seed"/>, on <paramref name="device"/>. <paramref name="stream"/> separates independent uses of
    /// one seed (posterior samples 0, prior samples for the variance ratio 1, annealed residuals 2, ...). Owned: dispose it.
    /// </summary>
    public static SampleNoise PerSample(long seed, long first, int count, Device device, int stream = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"a batch holds at least one sample (got {count})");
        return new SampleNoise(Enumerable.Range(0, count).Select(k => (seed, first + k)).ToArray(), device, stream);
    }

    /// <summary>
    /// The generators of several per-sample batches one after the other (batch item i draws as item i of the joined list), so
    /// samples of different runs (e.g. simulation k's posterior samples, seeded from (seed, k)) share one batch and still draw
    /// exactly what they draw alone. Owned: dispose it; <paramref name="parts"/> stay the caller's.
    /// </summary>
    public static SampleNoise Join(IReadOnlyList<SampleNoise> parts)
    {
        if (parts.Count == 0 || parts.Any(p => p._origins is null || p._stream != parts[0]._stream || p._device != parts[0]._device))
            throw new ArgumentException("only per-sample generators (SampleNoise.PerSample) of one stream and device can be joined");
        return new SampleNoise(parts.SelectMany(p => p._origins!).ToArray(), parts[0]._device, parts[0]._stream);
    }

    /// <summary>
    /// The same samples' generators on another <paramref name="stream"/> (per-sample mode; owned: dispose it), or this
    /// object itself for a shared generator (not to be disposed separately).
    /// </summary>
    public SampleNoise Stream(int stream) =>
        _origins is null ? this : new SampleNoise(_origins, _device, stream);

    /// <summary>
    /// The seed of sample <paramref name="index"/> of a run seeded <paramref name="seed"/>: SplitMix64 of the three numbers,
    /// so that neighbouring seeds and indices give unrelated generators (run 1's sample 0 is not run 0's sample 1).
    /// </summary>
    public static ulong SeedFor(long seed, long index, int stream = 0)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL ^ (ulong)stream * 0x94D049BB133111EBUL);
        return SplitMix64(SplitMix64(z));
    }

    private static ulong SplitMix64(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }

    /// <summary>The device the draws are made on.</summary>
    public Device Device => _device;

    /// <summary>Samples covered in per-sample mode, or null for a shared generator (any batch size).</summary>
    public int? Count => _perSample?.Length;

    /// <summary>N(0, 1) of <paramref name="shape"/> (batch first).</summary>
    public Tensor Randn(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Draw(shape, (s, g) => torch.Randn(s, g, dtype, device));

    /// <summary>N(0, 1) shaped like <paramref name="like"/>.</summary>
    public Tensor RandnLike(Tensor like) => Randn(like.Shape, like.DType, like.Device);

    /// <summary>U[0, 1) shaped like <paramref name="like"/>.</summary>
    public Tensor RandLike(Tensor like) => Draw(like.Shape, (s, g) => torch.Rand(s, g, like.DType, like.Device));

    /// <summary>+-1 with equal probability, shaped like <paramref name="like"/>.</summary>
    public Tensor RademacherLike(Tensor like) => Draw(like.Shape, (s, g) => torch.Rademacher(s, g, like.DType, like.Device));

    private Tensor Draw(long[] shape, Func<long[], Generator, Tensor> draw)
    {
        if (_shared is not null) return draw(shape, _shared);
        var gens = _perSample!;
        if (shape.Length == 0 || shape[0] != gens.Length)
            throw new ArgumentException($"these generators cover {gens.Length} samples; a draw of shape ({string.Join(", ", shape)}) needs one per batch item");
        if (gens.Length == 1) return draw(shape, gens[0]);
        var one = shape.ToArray();
        one[0] = 1;
        var parts = new Tensor[gens.Length];
        try
        {
            for (int k = 0; k < gens.Length; k++) parts[k] = draw(one, gens[k]);
            return torch.Cat(parts, 0);
        }
        finally { foreach (var p in parts) p?.Dispose(); }
    }

    /// <summary>Frees the per-sample generators (a shared generator belongs to its creator).</summary>
    public void Dispose()
    {
        if (_perSample is null) return;
        foreach (var g in _perSample) g.Dispose();
    }
}
