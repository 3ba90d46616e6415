using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Tests.Networks;

/// <summary>
/// Parameter counts of the presets. Expected numbers come from the independent PyTorch mirror
/// in bench/train/train_bench.py (same layers written in Python), so a mismatch means the two
/// architectures differ.
/// </summary>
public class NetworkParameterTests
{
    public NetworkParameterTests() => torch.NumThreads = 2;

    private static long Count(NetworkConfig config)
    {
        using var rng = new Generator(0);
        using var net = NetworkFactory.Create(config, rng);
        return net.ParameterCount;
    }

    [Fact]
    public void CpuDefaultHas1_26MParameters() =>
        // PyTorch mirror: 1,259,393 at 32 px (attention at 8 px on level 2), one channel.
        Assert.Equal(1_259_393, Count(NetworkPresets.CpuDefault(32, 1)));

    [Fact]
    public void CpuDefaultAt64PxHasNoLevelAttention() =>
        // 64, 32, 16 px levels: no level at 8 px, so only the middle attention: 1,225,857 (PyTorch mirror).
        Assert.Equal(1_225_857, Count(NetworkPresets.CpuDefault(64, 1)));

    [Fact]
    public void TinyHas48kParameters() =>
        // PyTorch mirror: 47,985.
        Assert.Equal(47_985, Count(NetworkPresets.Tiny(16, 1)));

    // Parameters and buffers (the Fourier frequencies), as score_models counts its state dict (it keeps W as a frozen parameter).
    private static long StateCount(NetworkConfig config)
    {
        using var rng = new Generator(0);
        using var net = NetworkFactory.Create(config, rng);
        return net.StateDict().Values.Sum(t => t.Numel);
    }

    [Fact]
    public void NcsnppPaperHasScoreModelsNcsnppDefaultCount() =>
        // score_models 0.6: sum(p.numel() for p in NCSNpp().state_dict().values()) = 49,953,604 (tools/interop/make_fixtures.py
        // counts). Built only, not run: too slow for a test.
        Assert.Equal(49_953_604, StateCount(NetworkPresets.NcsnppPaper));

    [Fact]
    public void DdpmHoPaperHasScoreModelsDdpmDefaultCount() =>
        // score_models 0.6: DDPM() with its defaults has 21,266,241 tensors' elements (tools/interop/make_fixtures.py counts).
        Assert.Equal(21_266_241, StateCount(NetworkPresets.HoPaperFor(32, 1)));

    [Fact]
    public void DdpmPaperBuildsWith29_8MParameters() =>
        // astroddpm: width 64, mults (1,2,4,8), linear attention 4 x 32 at every level, 256 px, 3 bands:
        // 29,803,467 (PyTorch mirror).
        Assert.Equal(29_803_467, Count(NetworkPresets.DdpmPaper));

    [Fact]
    public void DdpmCpuHas0_70MParameters() =>
        // PyTorch mirror: 700,327 at 64 px, one channel.
        Assert.Equal(700_327, Count(NetworkPresets.DdpmCpu(64, 1)));

    [Fact]
    public void TinyDdpmCountsMatchTheMirror()
    {
        // PyTorch mirror: 21,949 with linear attention (2 heads x 4) at both levels and the middle,
        // 22,905 with softmax attention at 8 px and the middle.
        Assert.Equal(21_949, Count(NetworkTestUtil.TinyDdpm(16, 1, "linear")));
        Assert.Equal(22_905, Count(NetworkTestUtil.TinyDdpm(16, 1, "softmax")));
    }

    [Fact]
    public void MlpCountIsTheSumOfItsLayers() =>
        // D = 2, embedding 32, 3 hidden layers of 128: (34*128 + 128) + 2 (128*128 + 128) + (128*2 + 2) = 37,762.
        Assert.Equal(37_762, Count(NetworkTestUtil.Mlp(2)));

    [Fact]
    public void SameSeedGivesIdenticalWeightsAndOutputs()
    {
        var config = NetworkPresets.Tiny(16, 1);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);
        using var a = NetworkFactory.Create(config, g1);
        using var b = NetworkFactory.Create(config, g2);
        using var c = NetworkFactory.Create(config, g3);
        var sa = a.StateDict(); var sb = b.StateDict(); var sc = c.StateDict();
        Assert.Equal(sa.Keys, sb.Keys);
        // Same seed: every tensor bitwise equal (including the Fourier frequencies buffer "W").
        Assert.All(sa, kv => Assert.True(kv.Value.Equal(sb[kv.Key]), kv.Key));
        Assert.Contains("embedding.embed.W", sa.Keys);
        // Another seed: the randomly initialised tensors differ (GroupNorm ones/zeros and zero biases do not).
        Assert.False(sa["conv_in.weight"].Equal(sc["conv_in.weight"]));
        Assert.False(sa["embedding.embed.W"].Equal(sc["embedding.embed.W"]));
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(5);
        var x = torch.Randn([2, 1, 16, 16], rng);
        var t = torch.Rand([2], rng);
        Assert.True(a.Forward(x, t).Equal(b.Forward(x, t)));
    }
}
