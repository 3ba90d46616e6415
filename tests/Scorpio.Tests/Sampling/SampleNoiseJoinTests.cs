using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>
/// <see cref="SampleNoise.Join"/>: samples of several runs in one batch draw exactly what they draw alone (scorpio calibrate
/// batches simulations this way, and its seed rule promises results independent of the batch).
/// </summary>
public class SampleNoiseJoinTests
{
    /// <summary>Runs seeded 3 (samples 0-1) and 8 (samples 5-7) joined: item by item bitwise equal to the separate draws, on every stream.</summary>
    [Fact]
    public void JoinedGeneratorsDrawAsTheirParts()
    {
        using var a = SampleNoise.PerSample(3, 0, 2, Device.CPU, stream: 5);
        using var b = SampleNoise.PerSample(8, 5, 3, Device.CPU, stream: 5);
        using var joined = SampleNoise.Join([a, b]);
        Assert.Equal(5, joined.Count);
        using var separate = torch.Cat([a.Randn([2, 1, 4, 4]), b.Randn([3, 1, 4, 4])], 0);
        using var together = joined.Randn([5, 1, 4, 4]);
        Assert.Equal(separate.ToArray<float>(), together.ToArray<float>());

        using var a1 = a.Stream(1);
        using var b1 = b.Stream(1);
        using var joined1 = joined.Stream(1);
        using var separate1 = torch.Cat([a1.Randn([2, 3]), b1.Randn([3, 3])], 0);
        using var together1 = joined1.Randn([5, 3]);
        Assert.Equal(separate1.ToArray<float>(), together1.ToArray<float>());
        Assert.NotEqual(together.ToArray<float>()[..3], together1.ToArray<float>()[..3]);
    }

    /// <summary>Joining needs per-sample generators of one stream: a shared generator or mixed streams are refused.</summary>
    [Fact]
    public void JoinRefusesSharedOrMixedStreams()
    {
        using var g = new Generator(1, Device.CPU);
        using var a = SampleNoise.PerSample(3, 0, 2, Device.CPU);
        using var b = SampleNoise.PerSample(3, 2, 2, Device.CPU, stream: 1);
        Assert.Throws<ArgumentException>(() => SampleNoise.Join([a, SampleNoise.Shared(g)]));
        Assert.Throws<ArgumentException>(() => SampleNoise.Join([a, b]));
    }
}
