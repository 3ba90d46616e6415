using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Samples finished so far, in physical units, concatenated in order: <see cref="Count"/> items of <see cref="ItemShape"/>
/// ((C, H, W) images or (D) vectors).
/// </summary>
public sealed class PriorSamples
{
    private readonly List<float> _values = [];

    public int Count { get; private set; }
    public int[] ItemShape { get; private set; } = [];

    /// <summary>All finished samples as (N, C, H, W), (N, H, W) for one band, or (N, D) (a copy).</summary>
    public ImageData ToImageData() => new(_values.ToArray(), CubeShape);

    /// <summary>Sample <paramref name="index"/> as (C, H, W) or (D) (a copy).</summary>
    public float[] Item(int index)
    {
        int size = ItemShape.Aggregate(1, (a, v) => a * v);
        return _values.GetRange(index * size, size).ToArray();
    }

    /// <summary>(N, C, H, W) for multi-band images, (N, H, W) for one band, (N, D) for vectors.</summary>
    public int[] CubeShape => ItemShape.Length == 3 && ItemShape[0] == 1 ? [Count, ItemShape[1], ItemShape[2]] : [Count, .. ItemShape];

    internal void Add(Tensor physical)
    {
        ItemShape = physical.Shape.Skip(1).Select(v => (int)v).ToArray();
        _values.AddRange(physical.ToFloatArray());
        Count += (int)physical.Size(0);
    }
}
