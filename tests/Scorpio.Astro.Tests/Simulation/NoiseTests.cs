using Scorpio.Astro;
using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class NoiseTests
{
    /// <summary>Least-squares slope of log10 P against log10 f of the Hann-windowed periodogram
    /// along the fast axis (y = down each column), averaged over all columns and frames, using
    /// frequencies from 3/L to 0.5 cycles/pixel (the lowest bins carry window leakage).</summary>
    private static double FastAxisSpectralSlope(ImageData frames)
    {
        int h = frames.Height, w = frames.Width, n = frames.PlaneCount;
        var power = new double[h / 2 + 1];
        var re = new double[h];
        var im = new double[h];
        for (int p = 0; p < n; p++)
            for (int x = 0; x < w; x++)
            {
                double mean = 0;
                for (int y = 0; y < h; y++) mean += frames.Data[(p * h + y) * w + x];
                mean /= h;
                for (int y = 0; y < h; y++)
                {
                    double hann = 0.5 - 0.5 * Math.Cos(2 * Math.PI * y / h);
                    re[y] = (frames.Data[(p * h + y) * w + x] - mean) * hann;
                    im[y] = 0;
                }
                Fft.Forward(re, im);
                for (int k = 0; k <= h / 2; k++) power[k] += re[k] * re[k] + im[k] * im[k];
            }
        var lx = new List<double>();
        var ly = new List<double>();
        for (int k = 3; k <= h / 2; k++)
        {
            lx.Add(Math.Log10(k / (double)h));
            ly.Add(Math.Log10(power[k]));
        }
        double mx = lx.Average(), my = ly.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Count; i++) { sxy += (lx[i] - mx) * (ly[i] - my); sxx += (lx[i] - mx) * (lx[i] - mx); }
        return sxy / sxx;
    }

    // Pure 1/f^alpha noise (no white noise): the periodogram along the fast axis falls with
    // slope -alpha; with 8 frames x 128 columns averaged the fit scatter is ~0.03, and leakage of
    // the Hann window biases steep spectra slightly, so the tolerance is 0.15.
    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(0.5)]
    public void OneOverFNoiseHasExpectedSlopeAlongFastAxis(double alpha)
    {
        var sim = new NoiseSimulator(new DetectorNoiseOptions { ReadNoise = 0, OneOverFSigma = 5, OneOverFAlpha = alpha });
        var frames = sim.Simulate(8, 128, 128, NoiseKind.OneOverF, seed: 3);
        double slope = FastAxisSpectralSlope(frames);
        Assert.True(Math.Abs(slope + alpha) < 0.15, $"alpha={alpha}: fitted slope {slope:F3}");
    }

    // The 1/f part is close to constant down a column (stripes): the variance of the column
    // means holds a large part of the 1/f variance (expected ~40-55% for alpha = 1: the power between the frame and line rates; one realisation scatters, so asserted > 25%), while the row
    // means vary far less; with FastAxis = X the roles swap.
    [Theory]
    [InlineData(ReadoutAxis.Y)]
    [InlineData(ReadoutAxis.X)]
    public void OneOverFNoiseMakesStripesAlongTheFastAxis(ReadoutAxis axis)
    {
        var sim = new NoiseSimulator(new DetectorNoiseOptions { ReadNoise = 0, OneOverFSigma = 5, FastAxis = axis });
        var frame = sim.Simulate(1, 64, 256, NoiseKind.OneOverF, seed: 9);
        double colVar = LineMeanVariance(frame, columns: true), rowVar = LineMeanVariance(frame, columns: false);
        double total = frame.Data.Select(v => (double)v * v).Average();
        if (axis == ReadoutAxis.Y)
        {
            Assert.True(colVar > 0.25 * total, $"column-mean variance {colVar:F2} of total {total:F2}");
            Assert.True(rowVar < 0.2 * colVar, $"row-mean variance {rowVar:F2} vs column {colVar:F2}");
        }
        else
        {
            Assert.True(rowVar > 0.25 * total, $"row-mean variance {rowVar:F2} of total {total:F2}");
            Assert.True(colVar < 0.2 * rowVar, $"column-mean variance {colVar:F2} vs row {rowVar:F2}");
        }
    }

    internal static double LineMeanVariance(ImageData frame, bool columns)
    {
        int h = frame.Height, w = frame.Width;
        var means = columns
            ? Enumerable.Range(0, w).Select(x => Enumerable.Range(0, h).Average(y => (double)frame[y, x])).ToArray()
            : Enumerable.Range(0, h).Select(y => Enumerable.Range(0, w).Average(x => (double)frame[y, x])).ToArray();
        double m = means.Average();
        return means.Average(v => (v - m) * (v - m));
    }

    // White noise has the configured sigma (10 DN, +-2% with 64k pixels) and no structure; the
    // 1/f RMS matches OneOverFSigma in expectation (8 DN +-15%: a 1/f realisation's variance
    // itself fluctuates between frames).
    [Fact]
    public void AmplitudesMatchTheOptions()
    {
        var sim = new NoiseSimulator(new DetectorNoiseOptions { ReadNoise = 10, OneOverFSigma = 0 });
        var white = sim.Simulate(4, 128, 128, NoiseKind.White, seed: 1);
        double sd = Math.Sqrt(white.Data.Select(v => (double)v * v).Average());
        Assert.InRange(sd, 9.8, 10.2);
        var pink = new NoiseSimulator(new DetectorNoiseOptions { ReadNoise = 0, OneOverFSigma = 8 }).Simulate(16, 64, 256, NoiseKind.OneOverF, seed: 2);
        double rms = Math.Sqrt(pink.Data.Select(v => (double)v * v).Average());
        Assert.InRange(rms, 8 * 0.85, 8 * 1.15);
    }

    // Darks hold fixed defects: hot pixels (> 100 DN) and dead pixels (exactly 0) at the same
    // places in every frame of a call; cosmic rays (bright outliers) at different places.
    [Fact]
    public void DarksShareDefectsButNotCosmicRays()
    {
        var sim = new NoiseSimulator(new DetectorNoiseOptions { CosmicRayRate = 5e-4, HotPixelFraction = 2e-3, DeadPixelFraction = 1e-3 });
        var frames = sim.Simulate(3, 128, 256, NoiseKind.Darks, seed: 17);
        int hw = 128 * 256;
        var dead = Enumerable.Range(0, 3).Select(p => Enumerable.Range(0, hw).Where(i => frames.Data[p * hw + i] == 0).ToHashSet()).ToArray();
        Assert.True(dead[0].Count >= 10, $"expected ~33 dead pixels, found {dead[0].Count}");
        Assert.True(dead[0].SetEquals(dead[1]) && dead[0].SetEquals(dead[2]), "dead pixels move between frames");
        // Hot pixels: bright in all three frames.
        int hotEverywhere = Enumerable.Range(0, hw).Count(i => frames.Data[i] > 100 && frames.Data[hw + i] > 100 && frames.Data[2 * hw + i] > 100);
        Assert.True(hotEverywhere >= 20, $"expected ~50 persistent hot pixels, found {hotEverywhere}");
        // Cosmic rays: bright in one frame only.
        int transient = Enumerable.Range(0, hw).Count(i => frames.Data[i] > 150 && frames.Data[hw + i] < 60 && frames.Data[2 * hw + i] < 60);
        Assert.True(transient >= 5, $"expected cosmic-ray pixels in frame 0 only, found {transient}");
    }

    // Same seed, same frames; different seed, different frames; frame i does not depend on N.
    [Fact]
    public void NoiseIsDeterministicPerSeedAndIndex()
    {
        var sim = new NoiseSimulator();
        var a = sim.Simulate(3, 32, 64, NoiseKind.Darks, seed: 5);
        var b = sim.Simulate(3, 32, 64, NoiseKind.Darks, seed: 5);
        var c = sim.Simulate(1, 32, 64, NoiseKind.Darks, seed: 5);
        var d = sim.Simulate(1, 32, 64, NoiseKind.Darks, seed: 6);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(a.Data.AsSpan(0, 32 * 64).ToArray(), c.Data);
        Assert.NotEqual(c.Data, d.Data);
    }

    [Fact]
    public void KindNamesRoundTrip()
    {
        foreach (var kind in Enum.GetValues<NoiseKind>())
            Assert.Equal(kind, NoiseSimulator.ParseKind(NoiseSimulator.KindName(kind)));
        var e = Assert.Throws<ArgumentException>(() => NoiseSimulator.ParseKind("pink"));
        Assert.Contains("white, 1f or darks", e.Message);
    }
}
