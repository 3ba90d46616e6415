using Scorpio.Astro;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;
using Scorpio.Operators;
using Scorpio.Torch;
using static Scorpio.Tests.Inverse.InverseTestUtil;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// Every forward operator against its adjoint (&lt;A x, y&gt; = &lt;x, A^T y&gt;) and its autograd VJP against central
/// finite differences, in float64. The operators are linear, so both identities hold to rounding: the bound
/// 1e-10 relative is ~1e5 times float64 epsilon, far below any indexing or padding mistake (which moves the
/// inner products by O(1) relative).
/// </summary>
public class OperatorAdjointTests
{
    public OperatorAdjointTests() => torch.NumThreads = 2;

    private static readonly long[] Shape = [2, 12, 10];

    private static Tensor GaussianPsf(int size, double fwhm) => Psf.FromModel(PsfModel.Gaussian, fwhm, size);

    /// <summary>Non-symmetric PSF so a flipped kernel (the classic adjoint bug) is caught.</summary>
    private static Tensor SkewedPsf(int kh, int kw)
    {
        var d = new float[kh * kw];
        for (int i = 0; i < d.Length; i++) d[i] = 1 + (i * 7 % 5) + i * 0.1f;
        return torch.FromArray(d, 1, kh, kw);
    }

    public static IEnumerable<object[]> Operators() => new[]
    {
        "identity", "mask", "scale", "psf-fft", "psf-direct", "psf-even-fft", "psf-even-direct", "psf-perband",
        "pool", "resample-down", "resample-up", "resample-area-up", "warp", "compose", "multi-exposure", "per-band",
    }.Select(n => new object[] { n });

    private static ForwardOperator Build(string name)
    {
        switch (name)
        {
            case "identity": return new IdentityOperator(Shape);
            case "mask":
                using (var m = Randn([12, 10], 5)) using (var pos = m.Gt(0.3)) return new MaskOperator(pos, Shape);
            case "scale": return new PixelScale([0.5, 3.0], Shape);
            case "psf-fft": using (var p = SkewedPsf(5, 3)) return new PsfConvolution(p, Shape, ConvolutionMethod.Fft);
            case "psf-direct": using (var p = SkewedPsf(5, 3)) return new PsfConvolution(p, Shape, ConvolutionMethod.Direct);
            case "psf-even-fft": using (var p = SkewedPsf(4, 6)) return new PsfConvolution(p, Shape, ConvolutionMethod.Fft);
            case "psf-even-direct": using (var p = SkewedPsf(4, 6)) return new PsfConvolution(p, Shape, ConvolutionMethod.Direct);
            case "psf-perband":
                using (var a = SkewedPsf(3, 3)) using (var b = GaussianPsf(5, 2.0)) using (var bp = torch.Pad(b, [0, 0, 0, 0]))
                using (var a5 = torch.Pad(a, [1, 1, 1, 1])) using (var both = torch.Cat([a5, bp], 0))
                    return new PsfConvolution(both, Shape);
            case "pool": return new AveragePooling(2, Shape);
            case "resample-down": return new Resampling(0.7, Shape);
            case "resample-up": return new Resampling(1.6, Shape, ResamplingMode.Bilinear, conserveFlux: false);
            case "resample-area-up": return new Resampling(1.5, Shape, ResamplingMode.Area);
            case "warp": return new BilinearWarp(WarpCoordinates(9, 7, 0.3), Shape);
            case "compose":
                using (var p = SkewedPsf(3, 5)) return new Compose(new Resampling(2.0, Shape), new PsfConvolution(p, [2, 24, 20]), new AveragePooling(4, [2, 24, 20]));
            case "multi-exposure":
                using (var p = GaussianPsf(3, 1.5))
                    return new MultiExposure(
                        new Compose(new PsfConvolution(p, Shape), new AveragePooling(2, Shape)),
                        new Compose(new BilinearWarp(WarpCoordinates(12, 10, 0.5), Shape), new AveragePooling(2, Shape)));
            case "per-band":
                using (var p = SkewedPsf(3, 3))
                    return new PerBand(new PsfConvolution(p, [1, 12, 10]), new Compose(new Resampling([1, 12, 10], [12, 10]), new IdentityOperator([1, 12, 10])));
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>A rotated, shifted, slightly scaled grid (some points fall outside the model image).</summary>
    private static Tensor WarpCoordinates(int h, int w, double shift)
    {
        var c = new double[2 * h * w];
        double a = 0.2;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                c[i * w + j] = Math.Cos(a) * j * 1.1 - Math.Sin(a) * i + 1.7 + shift;
                c[h * w + i * w + j] = Math.Sin(a) * j + Math.Cos(a) * i * 1.05 - 0.4 + shift;
            }
        return torch.FromArray(c, 2, h, w);
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void AdjointMatchesInnerProducts(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var a = Build(name);
        var x = Randn([3, .. a.InputShape], 11);
        var y = Randn([3, .. a.OutputShape], 12);
        var ax = a.Apply(x);
        var aty = a.Adjoint(y);
        Assert.Equal(a.OutputShape, ax.Shape.Skip(1).ToArray());
        Assert.Equal(a.InputShape, aty.Shape.Skip(1).ToArray());
        double lhs = Inner(ax, y), rhs = Inner(x, aty);
        double scale = Norm(ax) * Norm(y) + 1e-300;
        Assert.True(Math.Abs(lhs - rhs) <= 1e-10 * scale, $"{name}: <Ax,y> = {lhs}, <x,A^T y> = {rhs}");
        // Not vacuous: the operator does something (non-zero output).
        Assert.True(Norm(ax) > 1e-3 * Norm(x), $"{name}: A x is ~0");
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void VjpMatchesFiniteDifferencesAndAdjoint(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var a = Build(name);
        var x = Randn([2, .. a.InputShape], 21);
        var v = Randn([2, .. a.OutputShape], 22);
        var d = Randn([2, .. a.InputShape], 23);
        var vjp = a.Vjp(x, v);
        const double h = 1e-5;
        var xp = x.Add(d, h);
        var xm = x.Sub(d, h);
        var ap = a.Apply(xp);
        var am = a.Apply(xm);
        double fd = (Inner(ap, v) - Inner(am, v)) / (2 * h);
        double analytic = Inner(vjp, d);
        Assert.True(Math.Abs(fd - analytic) <= 1e-7 * (Math.Abs(analytic) + Norm(vjp) * Norm(d) * 1e-3), $"{name}: FD {fd} vs VJP {analytic}");
        var adj = a.Adjoint(v);
        Assert.True(MaxAbsDiff(vjp, adj) <= 1e-10 * (Norm(adj) + 1), $"{name}: VJP and explicit adjoint differ by {MaxAbsDiff(vjp, adj)}");
    }

    [Fact]
    public void FftAndDirectConvolutionAgreeAndShiftThePsfToThePoint()
    {
        using var scope = torch.NewDisposeScope();
        var psf = SkewedPsf(5, 3);
        using var fft = new PsfConvolution(psf, [1, 16, 16], ConvolutionMethod.Fft);
        using var direct = new PsfConvolution(psf, [1, 16, 16], ConvolutionMethod.Direct);
        var x = Randn([2, 1, 16, 16], 3);
        Assert.True(MaxAbsDiff(fft.Apply(x), direct.Apply(x)) < 1e-12);
        Assert.True(MaxAbsDiff(fft.Adjoint(x), direct.Adjoint(x)) < 1e-12);
        // A point at (6, 9) is imaged as the normalised PSF with its centre (2, 1) at (6, 9).
        var delta = torch.Zeros([1, 1, 16, 16], DType.Float64);
        delta.IndexPut_([torch.FromArray(new long[] { 0 }), torch.FromArray(new long[] { 0 }), torch.FromArray(new long[] { 6 }), torch.FromArray(new long[] { 9 })], torch.Ones([1], DType.Float64));
        var image = fft.Apply(delta).ToDoubleArray();
        var k = Psf.Normalise(psf.To(DType.Float64)).ToDoubleArray();
        for (int u = 0; u < 5; u++)
            for (int v = 0; v < 3; v++)
                Assert.Equal(k[u * 3 + v], image[(6 - 2 + u) * 16 + (9 - 1 + v)], 10);
        Assert.Equal(1.0, image.Sum(), 10);
    }

    [Fact]
    public void EffectiveKernelIsTheColumnOfTheCentralPixel()
    {
        using var scope = torch.NewDisposeScope();
        var psf = GaussianPsf(7, 2.5);
        using var a = new Compose(new PsfConvolution(psf, [1, 32, 32]), new AveragePooling(4, [1, 32, 32]));
        var kernel = EffectiveKernel.Extract(a);
        var column = a.Apply(EffectiveKernel.CentreDelta([1, 32, 32])).Squeeze(0);
        Assert.Equal(new long[] { 1, 8, 8 }, kernel.Shape);
        Assert.True(MaxAbsDiff(kernel, column) < 1e-12);
        // The point's flux survives PSF (sum 1) and average pooling (1/16 per coarse pixel): sum = 1/16.
        Assert.Equal(1.0 / 16, kernel.Sum().ToDouble(), 10);
    }

    [Fact]
    public void FluxConservingResamplingKeepsTheImageSum()
    {
        using var scope = torch.NewDisposeScope();
        using var down = new Resampling(0.5, [1, 16, 16], ResamplingMode.Area);
        using var up = new Resampling(2.0, [1, 16, 16], ResamplingMode.Area);
        var x = Randn([1, 1, 16, 16], 9).Abs();
        double sum = x.Sum().ToDouble();
        Assert.Equal(sum, down.Apply(x).Sum().ToDouble(), 9);
        Assert.Equal(sum, up.Apply(x).Sum().ToDouble(), 9);
        // Area-halving equals 2x2 block sums (flux) exactly.
        using var pool = new AveragePooling(2, [1, 16, 16]);
        Assert.True(MaxAbsDiff(down.Apply(x), pool.Apply(x).Mul(4.0)) < 1e-12);
    }

    [Fact]
    public void SupersampledPsfIsBinnedAroundItsCentre()
    {
        using var scope = torch.NewDisposeScope();
        var fine = Psf.FromModel(PsfModel.Gaussian, 8.0, 41); // 4x supersampled, FWHM 2 coarse pixels
        var coarse = Psf.ForModelGrid(fine, 4, 1);
        Assert.Equal(1, coarse.Size(1) % 2);
        Assert.Equal(1.0, coarse.Sum().ToDouble(), 5);
        // Peak at the centre, symmetric within the 1/(2*4) pixel offset of even binning.
        long c = coarse.Size(1) / 2;
        var a = coarse.ToDoubleArray();
        long w = coarse.Size(2);
        double peak = a.Max();
        Assert.Equal(peak, a[c * w + c], 6);
        // Same factor as the model grid: unchanged apart from normalisation.
        var same = Psf.ForModelGrid(fine, 4, 4);
        Assert.True(MaxAbsDiff(same, Psf.Normalise(fine)) < 1e-7);
    }
}
