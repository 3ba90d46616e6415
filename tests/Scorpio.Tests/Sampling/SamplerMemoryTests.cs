using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Sampling;

/// <summary>Counts live native tensors, so it runs alone (see <see cref="SamplerMemoryCollection"/>).</summary>
[Collection(nameof(SamplerMemoryCollection))]
public class SamplerMemoryTests
{
    [Theory]
    [MemberData(nameof(SamplerRegistryTests.SamplerNames), MemberType = typeof(SamplerRegistryTests))]
    public void Samplers_free_their_temporaries_and_keep_the_input(string name)
    {
        torch.NumThreads = 2;
        var sde = TestSdes.Create("vp");
        var g = new GaussianScore(sde, TestSdes.Mean, TestSdes.Covariance);
        using var rng = new Generator(4);
        using var xT = sde.PriorSample([6, 1, 2, 2], rng);
        var def = SamplerRegistry.Get(name);
        using (var warm = SamplerRegistry.Sample(def, g, sde, xT, rng, new SamplerOptions { Steps = 5 })) { }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = torch.LiveTensorCount;
        using (var y = SamplerRegistry.Sample(def, g, sde, xT, rng, new SamplerOptions { Steps = 8 }))
            Assert.Equal(before + 1, torch.LiveTensorCount);
        Assert.Equal(before, torch.LiveTensorCount);
        Assert.False(xT.IsDisposed);
        var grid = TimeGrids.Uniform(sde, 1);
        using var same = def.Run(g, sde, grid, xT, rng, new SamplerOptions(), null); // no step: a copy, never the input
        Assert.NotSame(xT, same);
        Assert.True(same.Equal(xT));
    }
}
