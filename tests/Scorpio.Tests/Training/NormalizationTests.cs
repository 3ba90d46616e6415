using Scorpio.Data;
using Scorpio.Torch;

namespace Scorpio.Tests.Training;

/// <summary>The normalisations of the seeds: forward maps, fitted statistics and inverses.</summary>
public class NormalizationTests
{
    public NormalizationTests() => torch.NumThreads = 2;

    private static Tensor Data()
    {
        // Two bands with different scales, (50, 2, 8, 8), values in about [-0.1, 10].
        var rng = new Random(4);
        var v = new float[50 * 2 * 64];
        for (int i = 0; i < v.Length; i++)
        {
            bool band2 = (i / 64) % 2 == 1;
            v[i] = (float)((band2 ? 10 : 1) * rng.NextDouble() * rng.NextDouble() - 0.1 * rng.NextDouble());
        }
        return torch.FromArray(v, 50, 2, 8, 8);
    }

    private static double MaxAbs(Tensor a, Tensor b) { using var d = a.Sub(b); using var ab = d.Abs(); return ab.Max().ToDouble(); }

    [Theory]
    [InlineData("asinh")]
    [InlineData("minmax-dataset")]
    [InlineData("standardize")]
    [InlineData("none")]
    public void InvertibleKindsRoundTrip(string kind)
    {
        using var x = Data();
        var fitted = Normalization.Fit(new NormalizationConfig { Kind = kind, AsinhScale = 0.05 }, x);
        var n = Normalization.FromConfig(fitted);
        using var y = n.Forward(x);
        using var back = n.Inverse(y);
        Assert.True(MaxAbs(back, x) < 2e-5 * 10, $"{kind}: round trip error {MaxAbs(back, x)}");
        if (kind is "asinh" or "minmax-dataset")
        {
            // Every channel spans exactly [-1, 1] on the training data.
            using var lo = y.Amin([0, 2, 3]);
            using var hi = y.Amax([0, 2, 3]);
            Assert.All(lo.ToDoubleArray(), v => Assert.Equal(-1, v, 5));
            Assert.All(hi.ToDoubleArray(), v => Assert.Equal(1, v, 5));
        }
        if (kind == "standardize")
        {
            using var m = y.Mean([0, 2, 3]);
            Assert.All(m.ToDoubleArray(), v => Assert.Equal(0, v, 4));
        }
    }

    [Fact]
    public void ClipFollowsEquation13WithAFromThePercentile()
    {
        using var x = Data();
        var fitted = Normalization.Fit(new NormalizationConfig { Kind = "clip", ClipPercentile = 99.9 }, x);
        // A per band = the 99.9th percentile of that band's pixels (numpy's linear interpolation).
        var band = x.Select(1, 1).Flatten().ToFloatArray().Select(v => (double)v).OrderBy(v => v).ToArray();
        double pos = 0.999 * (band.Length - 1);
        double expected = band[(int)pos] + (pos - (int)pos) * (band[(int)pos + 1] - band[(int)pos]);
        Assert.Equal(expected, fitted.High![1], 5);
        var n = Normalization.FromConfig(fitted);
        using var y = n.Forward(x);
        // x' = 2 max(0, min(x, A)) / A - 1 at a few pixels.
        var xs = x.ToFloatArray(); var ys = y.ToFloatArray();
        for (int i = 0; i < xs.Length; i += 97)
        {
            double a = fitted.High[(i / 64) % 2];
            Assert.Equal(2 * Math.Max(0, Math.Min(xs[i], a)) / a - 1, ys[i], 5);
        }
        // Given A (Smith et al. 2022: 5.0 ADU for SDSS) overrides the percentile; the inverse is exact inside [0, A].
        var given = Normalization.FromConfig(Normalization.Fit(new NormalizationConfig { Kind = "clip", ClipMax = 5.0 }, x));
        using var inside = torch.FromArray(new float[] { 0f, 1f, 2.5f, 5f }, 1, 1, 2, 2).Repeat(1, 2, 1, 1);
        using var f = given.Forward(inside);
        Assert.Equal(new[] { -1f, -0.6f, 0f, 1f }, f.Select(1, 0).Flatten().ToFloatArray().Select(v => MathF.Round(v, 5)));
        using var back = given.Inverse(f);
        Assert.True(MaxAbs(back, inside) < 1e-6);
    }

    [Fact]
    public void PerImageMinMaxNormalisesEachImageAndRestoresTheTypicalRange()
    {
        using var x = Data();
        var fitted = Normalization.Fit(new NormalizationConfig { Kind = "minmax-image" }, x);
        var n = Normalization.FromConfig(fitted);
        using var y = n.Forward(x);
        using var lo = y.Amin([2, 3]);
        using var hi = y.Amax([2, 3]);
        Assert.All(lo.ToDoubleArray(), v => Assert.Equal(-1, v, 5));
        Assert.All(hi.ToDoubleArray(), v => Assert.Equal(1, v, 5));
        // The inverse maps [-1, 1] to [median minimum, median minimum + median range] (shape only, not flux).
        using var ends = torch.FromArray(new float[] { -1, 1, -1, 1 }, 1, 2, 1, 2);
        var back = n.Inverse(ends).ToDoubleArray();
        Assert.Equal(fitted.Low![0], back[0], 5);
        Assert.Equal(fitted.High![1], back[3], 4);
        Assert.True(fitted.High[1] - fitted.Low[1] > 3 * (fitted.High[0] - fitted.Low[0]), "band 2 is ~10x brighter");
    }

    [Theory]
    [InlineData("clip")]
    [InlineData("minmax-dataset")]
    [InlineData("standardize")]
    [InlineData("none")]
    public void AffineKindsReportTheExactCoefficientsOfTheirInverse(string kind)
    {
        using var x = Data();
        var n = Normalization.FromConfig(Normalization.Fit(new NormalizationConfig { Kind = kind }, x));
        var affine = n.InverseAffine(2);
        Assert.NotNull(affine);
        Assert.Null(n.NotAffineReason);
        Assert.Equal(2, affine.Scale.Length);
        Assert.Equal(2, affine.Offset.Length);
        // Random normalised inputs (beyond [-1, 1] too), in float64 so the comparison sees the map, not float32 rounding.
        var rng = new Random(11);
        var z = Enumerable.Range(0, 3 * 2 * 5 * 7).Select(_ => 3 * (2 * rng.NextDouble() - 1)).ToArray();
        using var zt = torch.FromArray(z, 3, 2, 5, 7);
        using var back = n.Inverse(zt);
        var xs = back.ToDoubleArray();
        for (int i = 0; i < z.Length; i++)
        {
            int c = (i / 35) % 2;
            double expected = affine.Scale[c] * z[i] + affine.Offset[c];
            double size = Math.Abs(affine.Scale[c] * z[i]) + Math.Abs(affine.Offset[c]);
            Assert.True(Math.Abs(xs[i] - expected) <= 1e-6 * size, $"{kind}: pixel {i}: Inverse {xs[i]} vs p z + q {expected}");
        }
        if (kind == "none")
        {
            Assert.Equal(new[] { 1.0, 1.0, 1.0 }, n.InverseAffine(3)!.Scale);
            Assert.Equal(new[] { 0.0, 0.0, 0.0 }, n.InverseAffine(3)!.Offset);
        }
        else
            Assert.Throws<Scorpio.Astro.UserInputException>(() => n.InverseAffine(3));
    }

    [Theory]
    [InlineData("asinh", "not linear")]
    [InlineData("minmax-image", "not the same for every pixel")]
    public void NonAffineKindsReportNoCoefficientsAndSayWhy(string kind, string reason)
    {
        using var x = Data();
        var n = Normalization.FromConfig(Normalization.Fit(new NormalizationConfig { Kind = kind }, x));
        Assert.Null(n.InverseAffine(2));
        Assert.Contains(reason, n.NotAffineReason);
    }
}
