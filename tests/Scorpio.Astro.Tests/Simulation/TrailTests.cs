using Scorpio.Astro;
using Scorpio.Astro.Baselines;
using Scorpio.Astro.Numerics;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class TrailTests
{
    // The trail changes pixels only inside its mask, adds positive light there, and the mask is a
    // band as wide as the footprint: 2 x 3 sigma (+1 px for pixel discreteness) measured across.
    [Fact]
    public void TrailOnlyTouchesMaskedPixels()
    {
        var image = new GalaxySimulator().Simulate(8, seed: 1).Images;
        var result = new SatelliteTrailSimulator().AddTrails(image, seed: 2);
        Assert.Equal(image.Shape, result.Mask.Shape);
        Assert.Equal(8, result.Trails.Count);
        for (int i = 0; i < image.Data.Length; i++)
        {
            float added = result.Image.Data[i] - image.Data[i];
            if (result.Mask.Data[i] == 0) Assert.Equal(0f, added);
            else Assert.True(added >= 0);
        }
        foreach (var t in result.Trails)
        {
            int masked = result.Mask.Plane(t.Plane).Data.Count(v => v != 0);
            // Area of a band crossing the 64x64 stamp: at least width x 64 when it crosses fully.
            Assert.True(masked >= 2 * 3 * t.Sigma * 20, $"trail {t.Plane}: {masked} masked pixels for sigma {t.Sigma:F2}");
        }
    }

    // Glints modulate brightness along the trail: with GlintProbability 1 and depth 1, the
    // peak-line values vary by > 50% between bright and dark parts; without glints by < 10%.
    [Fact]
    public void GlintsModulateTheTrail()
    {
        var blank = new ImageData(1, 128, 128);
        var glint = new SatelliteTrailSimulator(new SatelliteTrailOptions { GlintProbability = 1, GlintDepth = Distribution.Constant(1), GlintPeriod = Distribution.Constant(20), PeakBrightness = Distribution.Constant(10) }).AddTrails(blank, 3);
        var steady = new SatelliteTrailSimulator(new SatelliteTrailOptions { GlintProbability = 0, PeakBrightness = Distribution.Constant(10) }).AddTrails(blank, 3);
        double Contrast(TrailResult r)
        {
            var t = r.Trails[0];
            var (s, c) = Math.SinCos(t.AngleDegrees * Math.PI / 180);
            var values = new List<double>();
            for (double along = -200; along <= 200; along += 1)
            {
                int x = (int)Math.Round(t.X + along * c), y = (int)Math.Round(t.Y + along * s);
                if (x >= 0 && x < 128 && y >= 0 && y < 128) values.Add(r.Image.Data[y * 128 + x]);
            }
            return (values.Max() - values.Min()) / values.Max();
        }
        Assert.True(Contrast(glint) > 0.5, $"glint contrast {Contrast(glint):F2}");
        Assert.True(Contrast(steady) < 0.35, $"steady contrast {Contrast(steady):F2}");
    }

    // Mask-and-interpolate: on a smooth galaxy with noise 0.01, the harmonic fill restores the
    // masked pixels with RMS error < 25% of the trail's own RMS there (the trail is 5-50 sigma),
    // and leaves unmasked pixels exactly as they were.
    [Fact]
    public void InterpolationRemovesTheTrail()
    {
        var clean = new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = 0.01 }).Simulate(6, seed: 4).Images;
        var trailed = new SatelliteTrailSimulator(new SatelliteTrailOptions { Width = Distribution.Uniform(0.8, 1.5) }).AddTrails(clean, seed: 5);
        var filled = TrailInterpolation.Fill(trailed.Image, trailed.Mask);
        double errFill = 0, errTrail = 0;
        int n = 0;
        for (int i = 0; i < clean.Data.Length; i++)
        {
            if (trailed.Mask.Data[i] == 0)
            {
                Assert.Equal(trailed.Image.Data[i], filled.Data[i]);
                continue;
            }
            errFill += Math.Pow(filled.Data[i] - clean.Data[i], 2);
            errTrail += Math.Pow(trailed.Image.Data[i] - clean.Data[i], 2);
            n++;
        }
        Assert.True(n > 100);
        Assert.True(Math.Sqrt(errFill / n) < 0.25 * Math.Sqrt(errTrail / n), $"fill rms {Math.Sqrt(errFill / n):F4} vs trail rms {Math.Sqrt(errTrail / n):F4}");
    }

    // The harmonic fill reproduces a linear ramp exactly (a ramp solves Laplace's equation) when the
    // mask does not touch the border (there the fill assumes zero gradient), to 0.005.
    [Fact]
    public void InterpolationIsExactForLinearRamps()
    {
        var img = new ImageData(32, 32);
        var mask = new ImageData(32, 32);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                img[y, x] = 0.3f * x + 0.1f * y;
                if (Math.Abs(x - y) < 3 && x > 2 && x < 29 && y > 2 && y < 29) { mask[y, x] = 1; img[y, x] = 100; }
            }
        var filled = TrailInterpolation.Fill(img, mask, tolerance: 1e-7);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                Assert.Equal(0.3 * x + 0.1 * y, filled[y, x], 2);
    }

    [Fact]
    public void FullyMaskedPlaneIsAnError()
    {
        var img = new ImageData(8, 8);
        var mask = new ImageData(Enumerable.Repeat(1f, 64).ToArray(), 8, 8);
        Assert.Equal("mask", Assert.Throws<InvalidSettingException>(() => TrailInterpolation.Fill(img, mask)).Parameter);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void NonPositiveWidthIsAnError(double sigma)
    {
        // sigma <= 0 would paint nothing (negative cut) or NaN (0 * inf on the trail's centre line).
        var options = new SatelliteTrailOptions { Width = Distribution.Constant(sigma) };
        Assert.Equal("width", Assert.Throws<InvalidSettingException>(options.Validate).Parameter);
    }
}
