using Scorpio.Astro;
using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Tests;

public class FftTests
{
    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im, int sign)
    {
        int n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++)
            {
                double angle = sign * 2 * Math.PI * ((long)j * k % n) / n;
                var (s, c) = Math.SinCos(angle);
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
        return (outRe, outIm);
    }

    public static IEnumerable<object[]> Lengths() =>
        Enumerable.Range(1, 40).Concat(new[] { 97, 101, 127, 128, 256, 257, 1009 }).Select(n => new object[] { n });

    // Forward FFT equals the O(n^2) DFT to 1e-9 relative to the signal size (double precision
    // radix-2 and Bluestein both reach ~1e-13; the margin covers n = 1009).
    [Theory]
    [MemberData(nameof(Lengths))]
    public void ForwardMatchesNaiveDft(int n)
    {
        var rng = new SeededRandom(n);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var (er, ei) = NaiveDft(re, im, -1);
        var fr = (double[])re.Clone();
        var fi = (double[])im.Clone();
        Fft.Forward(fr, fi);
        double scale = Math.Sqrt(n);
        for (int k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(fr[k] - er[k]) < 1e-9 * scale * n, $"n={n} k={k} re {fr[k]} vs {er[k]}");
            Assert.True(Math.Abs(fi[k] - ei[k]) < 1e-9 * scale * n, $"n={n} k={k} im {fi[k]} vs {ei[k]}");
        }
    }

    // Inverse(Forward(x)) returns x to 1e-12 (round-off only).
    [Theory]
    [MemberData(nameof(Lengths))]
    public void InverseUndoesForward(int n)
    {
        var rng = new SeededRandom(1000 + n);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
        var fr = (double[])re.Clone();
        var fi = (double[])im.Clone();
        Fft.Forward(fr, fi);
        Fft.Inverse(fr, fi);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(re[k], fr[k], 1e-12);
            Assert.Equal(im[k], fi[k], 1e-12);
        }
    }

    // A 2-D transform is separable: compare with row-then-column naive DFTs on a 6x10 and 7x8 array.
    [Theory]
    [InlineData(6, 10)]
    [InlineData(7, 8)]
    public void TwoDimensionalMatchesNaive(int h, int w)
    {
        var rng = new SeededRandom(h * 100 + w);
        var re = Enumerable.Range(0, h * w).Select(_ => rng.NextGaussian()).ToArray();
        var im = new double[h * w];
        var ar = (double[])re.Clone();
        var ai = (double[])im.Clone();
        for (int y = 0; y < h; y++)
        {
            var (r, i) = NaiveDft(ar.Skip(y * w).Take(w).ToArray(), ai.Skip(y * w).Take(w).ToArray(), -1);
            Array.Copy(r, 0, ar, y * w, w);
            Array.Copy(i, 0, ai, y * w, w);
        }
        for (int x = 0; x < w; x++)
        {
            var (r, i) = NaiveDft(Enumerable.Range(0, h).Select(y => ar[y * w + x]).ToArray(), Enumerable.Range(0, h).Select(y => ai[y * w + x]).ToArray(), -1);
            for (int y = 0; y < h; y++) { ar[y * w + x] = r[y]; ai[y * w + x] = i[y]; }
        }
        Fft2D.Forward(re, im, h, w);
        for (int k = 0; k < h * w; k++)
        {
            Assert.Equal(ar[k], re[k], 1e-9);
            Assert.Equal(ai[k], im[k], 1e-9);
        }
    }

    private static float[] DirectSameConvolution(float[] img, int h, int w, float[] k, int kh, int kw)
    {
        var result = new float[h * w];
        int cy = kh / 2, cx = kw / 2;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double acc = 0;
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int sy = y - (ky - cy), sx = x - (kx - cx);
                        if (sy >= 0 && sy < h && sx >= 0 && sx < w) acc += k[ky * kw + kx] * img[sy * w + sx];
                    }
                result[y * w + x] = (float)acc;
            }
        return result;
    }

    // FFT "same" convolution equals direct zero-boundary convolution to float round-off (1e-4 of
    // values ~N(0,1)), for odd and even kernels and non-square images.
    [Theory]
    [InlineData(20, 13, 5, 5)]
    [InlineData(17, 32, 4, 7)]
    public void ConvolverMatchesDirectConvolution(int h, int w, int kh, int kw)
    {
        var rng = new SeededRandom(7);
        var img = Enumerable.Range(0, h * w).Select(_ => (float)rng.NextGaussian()).ToArray();
        var img2 = Enumerable.Range(0, h * w).Select(_ => (float)rng.NextGaussian()).ToArray();
        var k = Enumerable.Range(0, kh * kw).Select(_ => (float)rng.NextDouble()).ToArray();
        var conv = new FftConvolver(k, kh, kw, h, w);
        var expected = DirectSameConvolution(img, h, w, k, kh, kw);
        var expected2 = DirectSameConvolution(img2, h, w, k, kh, kw);
        var got = new float[h * w];
        conv.Convolve(img, got);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-4);
        var a = new float[h * w];
        var b = new float[h * w];
        conv.Convolve(img, img2, a, b);
        for (int i = 0; i < got.Length; i++)
        {
            Assert.Equal(expected[i], a[i], 1e-4);
            Assert.Equal(expected2[i], b[i], 1e-4);
        }
    }

    // Correlate is the adjoint of Convolve: <A x, y> = <x, A^T y> to 1e-5 relative.
    [Fact]
    public void CorrelateIsAdjointOfConvolve()
    {
        int h = 24, w = 19;
        var rng = new SeededRandom(11);
        var x = Enumerable.Range(0, h * w).Select(_ => (float)rng.NextGaussian()).ToArray();
        var y = Enumerable.Range(0, h * w).Select(_ => (float)rng.NextGaussian()).ToArray();
        var k = Enumerable.Range(0, 35).Select(_ => (float)rng.NextDouble()).ToArray();
        var conv = new FftConvolver(k, 5, 7, h, w);
        var ax = new float[h * w];
        var aty = new float[h * w];
        conv.Convolve(x, ax);
        conv.Correlate(y, aty);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < h * w; i++) { lhs += ax[i] * (double)y[i]; rhs += x[i] * (double)aty[i]; }
        Assert.True(Math.Abs(lhs - rhs) < 1e-5 * Math.Abs(lhs) + 1e-4, $"<Ax,y>={lhs} <x,A^T y>={rhs}");
    }

    // A delta kernel at the centre leaves an image unchanged (the kernel centre is kh/2, kw/2).
    [Fact]
    public void CentredDeltaKernelIsIdentity()
    {
        var k = new float[25];
        k[12] = 1;
        var img = new ImageData(Enumerable.Range(0, 12 * 9).Select(i => (float)i).ToArray(), 12, 9);
        var outImg = new FftConvolver(new ImageData(k, 5, 5), 12, 9).ConvolvePlanes(img);
        for (int i = 0; i < img.Data.Length; i++) Assert.Equal(img.Data[i], outImg.Data[i], 1e-3);
    }
}
