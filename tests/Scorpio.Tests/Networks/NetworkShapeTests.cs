using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Tests.Networks;

public class NetworkShapeTests
{
    public NetworkShapeTests() => torch.NumThreads = 2;

    private static void AssertSameShape(NetworkConfig config, long batch, long size)
    {
        using var rng = new Generator(1);
        using var net = NetworkFactory.Create(config, rng);
        using var scope = torch.NewDisposeScope();
        var x = torch.Randn([batch, config.InChannels, size, size], rng);
        var c = torch.Rand([batch], rng);
        var y = net.Forward(x, c);
        // A score network maps x to something of x's shape.
        Assert.Equal(x.Shape, y.Shape);
        using var finite = y.IsFinite().All();
        Assert.True(finite.ToBool(), "output is finite");
    }

    [Theory]
    // (image side, channels): 16 and 32 px; 24 px only needs divisibility by 2 with two levels.
    [InlineData(16, 1)]
    [InlineData(32, 2)]
    [InlineData(24, 1)]
    public void TinyNcsnppKeepsTheInputShape(int size, int channels) =>
        AssertSameShape(NetworkPresets.Tiny(16, channels), 2, size);

    [Fact]
    public void NcsnppWithThreeLevelsPoolingAndSinusoidalKeepsTheShape() =>
        // 3 levels need multiples of 4: 12 px works; plain pooling/nearest instead of FIR; 2 heads.
        AssertSameShape(NetworkPresets.Tiny(12, 1) with { ChannelMult = [1, 2, 2], Fir = false, Embedding = "sinusoidal", Heads = 2, AttentionResolutions = [6] }, 2, 12);

    [Theory]
    [InlineData(16, "linear")]
    [InlineData(24, "softmax")]
    public void TinyDdpmKeepsTheInputShape(int size, string attention) =>
        AssertSameShape(NetworkTestUtil.TinyDdpm(16, 2, attention), 2, size);

    [Fact]
    public void MlpKeepsTheVectorShape()
    {
        using var rng = new Generator(1);
        using var net = NetworkFactory.Create(NetworkTestUtil.Mlp(2), rng);
        using var scope = torch.NewDisposeScope();
        var x = torch.Randn([5, 2], rng);
        // A scalar condition is broadcast to the batch.
        var y = net.Forward(x, torch.Scalar(0.3));
        Assert.Equal(new long[] { 5, 2 }, y.Shape);
    }

    [Fact]
    public void SizeNotDivisibleByTheLevelsThrowsAClearMessage()
    {
        using var rng = new Generator(1);
        // 3 levels halve twice: 30 is not a multiple of 4.
        using var net = NetworkFactory.Create(NetworkPresets.CpuDefault(32, 1), rng);
        using var scope = torch.NewDisposeScope();
        var x = torch.Zeros([1, 1, 30, 30]);
        var e = Assert.Throws<ArgumentException>(() => net.Forward(x, torch.Zeros([1])));
        Assert.Contains("30x30 is not divisible by 4", e.Message);
        // The same check guards the configured size at construction.
        var e2 = Assert.Throws<ArgumentException>(() => NetworkFactory.Create(NetworkPresets.CpuDefault(30, 1), rng));
        Assert.Contains("not divisible by 4", e2.Message);
        // Wrong channel count and wrong condition length name what was expected.
        var e3 = Assert.Throws<ArgumentException>(() => net.Forward(torch.Zeros([1, 3, 32, 32]), torch.Zeros([1])));
        Assert.Contains("expected 1 channels, got 3", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => net.Forward(torch.Zeros([2, 1, 32, 32]), torch.Zeros([3])));
        Assert.Contains("shape (2,)", e4.Message);
    }

    [Fact]
    public void UnknownArchitectureAndPresetNameTheKnownOnes()
    {
        using var rng = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => NetworkFactory.Create(new NetworkConfig { Arch = "resnet" }, rng));
        Assert.Contains("ncsnpp, ddpm, ddpm-ho, mlp, mlp-concat", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => NetworkPresets.ByName("huge", 32, 1));
        Assert.Contains("ncsnpp-paper", e2.Message);
        Assert.Equal("ncsnpp", NetworkPresets.ByName("CPU", 32, 1).Arch);
    }

    [Fact]
    public void ForwardLeavesOnlyItsResultInTheCallersScope()
    {
        using var rng = new Generator(2);
        using var net = NetworkFactory.Create(NetworkPresets.Tiny(16, 1), rng);
        using var scope = torch.NewDisposeScope();
        var x = torch.Randn([2, 1, 16, 16], rng);
        var c = torch.Rand([2], rng);
        int before = scope.Count;   // x and c
        using var y = net.Forward(x, c);
        // Every intermediate was freed inside Forward: exactly one new tensor (the result) is left.
        Assert.Equal(before + 1, scope.Count);
    }

    [Theory]
    [InlineData("ncsnpp")]
    [InlineData("ddpm")]
    public void ChannelsLastLayoutGivesTheSameOutput(string arch)
    {
        var config = arch == "ncsnpp" ? NetworkPresets.Tiny(16, 2) : NetworkTestUtil.TinyDdpm(16, 2, "linear");
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var plain = NetworkFactory.Create(config with { ChannelsLast = false }, g1);
        using var nhwc = NetworkFactory.Create(config with { ChannelsLast = true }, g2);
        NetworkTestUtil.Perturb(plain, 0.1, 3);
        NetworkTestUtil.Perturb(nhwc, 0.1, 3);
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(10);
        var x = torch.Randn([2, 2, 16, 16], rng);
        var c = torch.Rand([2], rng);
        var a = plain.Forward(x, c);
        var b = nhwc.Forward(x, c);
        // Same weights, another memory layout: equal up to float32 rounding of reordered sums (~1e-6 relative).
        var scale = a.Abs().Max().ToDouble();
        Assert.True(b.AllClose(a, 1e-4, 1e-5 * scale), $"max |diff| {(a - b).Abs().Max().ToDouble():G3} for outputs up to {scale:G3}");
        Assert.Equal(x.Shape, b.Shape);
    }
}
