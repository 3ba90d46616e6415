using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Tests.Networks;

/// <summary>The FIR (1,3,3,1) resampling layers reproduce score_models' upfirdn2d on a linear ramp.</summary>
public class ResamplingTests
{
    public ResamplingTests() => torch.NumThreads = 2;

    /// <summary>(1, 2, 8, 8) images whose value is the column index, in both channels.</summary>
    private static Tensor Ramp()
    {
        using var cols = torch.Arange(0, 8, 1, DType.Float64);
        using var r = cols.Reshape(1, 1, 1, 8);
        return r.Expand(1, 2, 8, 8).Contiguous();
    }

    [Fact]
    public void FirDownsampleAveragesAroundTheHalfPixelCentre()
    {
        using var rng = new Generator(0);
        using var down = new Downsample(2, rng, ResamplingKind.Fir);
        using var x = Ramp();
        using var y = down.Forward(x);
        Assert.Equal(new long[] { 1, 2, 4, 4 }, y.Shape);
        var v = y.ToArray<double>();
        // A symmetric kernel over inputs 2n-1..2n+2 returns a linear ramp at their centre: 2n + 0.5.
        // Interior only (rows/columns 1-2): the borders see zero padding.
        for (int ch = 0; ch < 2; ch++)
            for (int r = 1; r <= 2; r++)
                for (int n = 1; n <= 2; n++)
                    Assert.Equal(2 * n + 0.5, v[ch * 16 + r * 4 + n], 12);
    }

    [Fact]
    public void FirUpsampleInterpolatesAtQuarterPixelOffsets()
    {
        using var rng = new Generator(0);
        using var up = new Upsample(2, rng, ResamplingKind.Fir);
        using var x = Ramp();
        using var y = up.Forward(x);
        Assert.Equal(new long[] { 1, 2, 16, 16 }, y.Shape);
        var v = y.ToArray<double>();
        // Zero insertion then the kernel with gain 4: output n sits at input coordinate (n - 0.5) / 2,
        // i.e. 2m -> m - 1/4 and 2m+1 -> m + 1/4 (derived from upfirdn2d with pad (2, 1)).
        for (int ch = 0; ch < 2; ch++)
            for (int r = 2; r <= 13; r++)
                for (int n = 2; n <= 13; n++)
                    Assert.Equal((n - 0.5) / 2, v[ch * 256 + r * 16 + n], 12);
        // Last column: zero padding beyond the image as in upfirdn2d, (3 x[7] + 0) / 4 = 21/4.
        Assert.Equal(5.25, v[5 * 16 + 15], 12);
    }

    [Fact]
    public void PlainResamplingIsPoolingAndNearestNeighbour()
    {
        using var rng = new Generator(0);
        using var down = new Downsample(2, rng, ResamplingKind.Plain);
        using var up = new Upsample(2, rng, ResamplingKind.Plain);
        using var x = Ramp();
        using var d = down.Forward(x);
        // Mean of columns 2n and 2n+1: 2n + 0.5, everywhere (no padding).
        var dv = d.ToArray<double>();
        for (int k = 0; k < dv.Length; k++) Assert.Equal(2 * (k % 4) + 0.5, dv[k], 12);
        using var u = up.Forward(d);
        // Nearest neighbour: column j of the result copies column j / 2 of the input.
        var uv = u.ToArray<double>();
        for (int k = 0; k < uv.Length; k++) Assert.Equal(2 * ((k % 8) / 2) + 0.5, uv[k], 12);
    }

    [Fact]
    public void LearnedUpsampleEqualsTheTransposedConvolutionItReplaces()
    {
        using var rng = new Generator(4);
        using var up = new Upsample(3, rng, ResamplingKind.Conv);
        up.To(Device.CPU, DType.Float64);
        using var scope = torch.NewDisposeScope();
        var weight = up.NamedParameters().First(p => p.Name == "conv.weight").Parameter.Tensor;
        var bias = up.NamedParameters().First(p => p.Name == "conv.bias").Parameter.Tensor;
        var x = torch.Randn([2, 3, 5, 6], rng, DType.Float64);
        var expected = torch.ConvTranspose2d(x, weight, bias, stride: 2, padding: 1);
        var y = up.Forward(x);
        // 3x3 conv + pixel shuffle is the same linear map: equal to float64 rounding (~1e-15).
        Assert.Equal(new long[] { 2, 3, 10, 12 }, y.Shape);
        Assert.True(y.AllClose(expected, 0, 1e-12), "sub-pixel form equals conv_transpose2d");
        // Gradients reach the transposed convolution's own weight identically.
        var g = torch.RandnLike(y, rng);
        var gw = torch.Grad([y], [weight], [g])[0]!;
        var gwExpected = torch.Grad([expected], [weight], [g])[0]!;
        Assert.True(gw.AllClose(gwExpected, 0, 1e-12), "weight gradients agree");
    }
}
