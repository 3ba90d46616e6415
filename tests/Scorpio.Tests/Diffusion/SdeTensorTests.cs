using Scorpio.Diffusion;
using Scorpio.Tests.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Diffusion;

/// <summary>
/// The tensor coefficients of every SDE equal the host ones: mu and sigma to 1e-12 relative (both are float64 with the
/// same formulas), the closed-form inverse of sigma/mu to the host bisection to 1e-9, and Perturb is mu x0 + sigma z.
/// </summary>
public class SdeTensorTests
{
    public static TheoryData<string> Names => ["ve", "vp", "subvp", "cosine", "cosine-clipped", "edm", "ddpm"];

    private static double[] Times(Sde sde) =>
        Enumerable.Range(0, 41).Select(i => sde.Epsilon + (sde.T - sde.Epsilon) * i / 40.0).ToArray();

    [Theory]
    [MemberData(nameof(Names))]
    public void MuAndSigmaMatchTheHost(string name)
    {
        var sde = TestSdes.Create(name);
        var t = Times(sde);
        using var tt = torch.FromArray(t, t.Length);
        using var mu = sde.Mu(tt);
        using var sigma = sde.Sigma(tt);
        Assert.Equal(DType.Float64, mu.DType);
        var m = mu.ToDoubleArray();
        var s = sigma.ToDoubleArray();
        for (int i = 0; i < t.Length; i++)
        {
            Assert.Equal(sde.Mu(t[i]), m[i], 1e-12 * Math.Max(1, Math.Abs(m[i])));
            Assert.Equal(sde.Sigma(t[i]), s[i], 1e-12 * Math.Max(1, Math.Abs(s[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheInverseNoiseRatioMatchesTheHost(string name)
    {
        var sde = TestSdes.Create(name);
        var t = Times(sde).Skip(1).SkipLast(1).ToArray();
        var ratios = t.Select(sde.NoiseRatio).ToArray();
        using var rt = torch.FromArray(ratios, ratios.Length);
        using var back = sde.TimeOfNoiseRatio(rt);
        var tensor = back.ToDoubleArray();
        for (int i = 0; i < t.Length; i++)
        {
            // DDPM: the first step whose ratio reaches r, i.e. t's own step.
            double expected = name == "ddpm" ? ((Scorpio.Diffusion.DdpmSde)sde).TimeOf(((Scorpio.Diffusion.DdpmSde)sde).Index(t[i])) : sde.TimeOfNoiseRatio(ratios[i]);
            Assert.Equal(expected, tensor[i], 1e-9 * sde.T);
            if (name != "ddpm") Assert.Equal(t[i], tensor[i], 1e-7 * sde.T);
        }
        // Out of range: clamped to [epsilon, T].
        using var extremes = torch.FromArray(new[] { 0.0, 1e12 }, 2);
        using var clamped = sde.TimeOfNoiseRatio(extremes);
        var c = clamped.ToDoubleArray();
        Assert.Equal(sde.Epsilon, c[0], 1e-12);
        Assert.Equal(sde.T, c[1], 1e-9);
    }

    [Fact]
    public void PerturbIsMuX0PlusSigmaZPerSample()
    {
        var sde = TestSdes.Create("vp");
        using var x0 = torch.Randn([3, 1, 2, 2], new Generator(1));
        using var z = torch.Randn([3, 1, 2, 2], new Generator(2));
        using var t = torch.FromArray(new float[] { 0.1f, 0.5f, 0.9f });
        using var xt = sde.Perturb(x0, t, z);
        var a = x0.ToFloatArray();
        var b = z.ToFloatArray();
        var r = xt.ToFloatArray();
        var times = t.ToFloatArray();
        for (int i = 0; i < r.Length; i++)
        {
            double ti = times[i / 4];
            Assert.Equal(sde.Mu(ti) * a[i] + sde.Sigma(ti) * b[i], r[i], 1e-5);
        }
    }
}
