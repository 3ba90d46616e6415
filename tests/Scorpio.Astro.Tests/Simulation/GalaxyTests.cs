using Scorpio.Astro;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class GalaxyTests
{
    // A noiseless Sersic galaxy in a 160 px stamp (>= 26 r_e, so > 99.5% of the light is inside):
    // the curve-of-growth half-light radius matches r_e within 2% and the image holds the requested
    // flux within 1%. (Below r_e ~ 3 px the curve of growth itself is biased by pixelisation, so
    // compact cusps are checked pixel by pixel in CompactCuspPixelsHoldTheRightFlux.)
    [Theory]
    [InlineData(1.0, 6.0)]
    [InlineData(2.5, 5.0)]
    [InlineData(4.0, 3.0)]
    [InlineData(0.5, 4.0)]
    public void SingleSersicHasRequestedRadiusAndFlux(double n, double re)
    {
        const int size = 160;
        const double flux = 1000;
        var img = GalaxySimulator.RenderSersic(size, size, 80, 80, flux, re, n);
        double total = Measure.Sum(img.Data);
        Assert.True(Math.Abs(total / flux - 1) < 0.01, $"n={n} re={re}: flux {total:F2} vs {flux}");
        double expectedInside = SersicProfile.EnclosedFraction(n, 80 / re);
        double rh = Measure.HalfLightRadius(img.Data, size, size, 80, 80);
        Assert.True(Math.Abs(rh / re - 1) < 0.02, $"n={n} re={re}: half-light radius {rh:F3} (flux inside r=80: {expectedInside:F4})");
        Assert.All(img.Data, v => Assert.True(v >= 0));
    }

    // A compact de Vaucouleurs cusp (n = 4, r_e = 1.5 px) puts ~35% of its light in the central
    // pixel: the adaptively sub-sampled renderer matches a brute-force 200x200-point integral of the
    // profile over the central pixel and its 8 neighbours within 1%, and the total flux within 1%.
    [Fact]
    public void CompactCuspPixelsHoldTheRightFlux()
    {
        const double re = 1.5, n = 4, flux = 100;
        var img = GalaxySimulator.RenderSersic(96, 96, 48, 48, flux, re, n);
        double i0 = SersicProfile.CentralIntensity(flux, re, n, 1), b = SersicProfile.B(n);
        double Reference(int px, int py)
        {
            const int k = 200;
            double acc = 0;
            for (int sy = 0; sy < k; sy++)
                for (int sx = 0; sx < k; sx++)
                {
                    double dx = px - 48 - 0.5 + (sx + 0.5) / k, dy = py - 48 - 0.5 + (sy + 0.5) / k;
                    acc += Math.Exp(-b * Math.Pow(Math.Sqrt(dx * dx + dy * dy) / re, 1 / n));
                }
            return i0 * acc / (k * k);
        }
        foreach (var (x, y) in new[] { (48, 48), (49, 48), (49, 49), (47, 48) })
        {
            double expected = Reference(x, y);
            Assert.True(Math.Abs(img[y, x] / expected - 1) < 0.01, $"pixel ({x},{y}): {img[y, x]:F4} vs {expected:F4}");
        }
        Assert.True(Math.Abs(Measure.Sum(img.Data) / flux - 1) < 0.01);
    }

    // b_n reproduces its definition P(2n, b_n) = 1/2 to 1e-5 (the series alone is off by 1.3e-4 at n = 0.5).
    [Theory]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void SersicBnEnclosesHalfTheLight(double n) => Assert.Equal(0.5, SersicProfile.EnclosedFraction(n, 1), 5);

    // Drawn parameters follow the configured distributions: over 1500 galaxies the KS distance of
    // magnitudes (number counts 16.5-20, slope 0.3) and half-light radii (log-normal median 6.4,
    // scatter 0.3, truncated to [2.5, 13]) stays below 0.042 (the 1% critical value 1.63/sqrt(1500)).
    [Fact]
    public void DrawnMagnitudesAndSizesFollowTheirDistributions()
    {
        var options = new GalaxySimulatorOptions();
        var sim = new GalaxySimulator(options);
        var result = new GalaxySimulationResult(new ImageData(1), sim.DrawParameters(1500, seed: 2024), options.Bands, options, 2024);
        // The draws are those Simulate uses.
        Assert.Equal(sim.Simulate(3, seed: 2024).Parameters.Select(p => p.HalfLightRadius), result.Parameters.Take(3).Select(p => p.HalfLightRadius));
        double dMag = Measure.KsDistance(result.Parameters.Select(p => p.Magnitude), options.Magnitude.Cdf);
        double dSize = Measure.KsDistance(result.Parameters.Select(p => p.HalfLightRadius), options.HalfLightRadius.Cdf);
        Assert.True(dMag < 0.042, $"magnitude KS distance {dMag:F4}");
        Assert.True(dSize < 0.042, $"size KS distance {dSize:F4}");
        // Flux is the magnitude through the zero point.
        Assert.All(result.Parameters, p => Assert.Equal(Math.Pow(10, -0.4 * (p.Magnitude - 22.5)), p.Flux, 9));
        // Sanity of the draws against the configuration: median radius near 6.4 (+-5%).
        double median = result.Parameters.Select(p => p.HalfLightRadius).OrderBy(v => v).ElementAt(750);
        Assert.InRange(median, 6.4 * 0.95, 6.4 * 1.05);
    }

    // Images carry what the table says: for 150 face-on bulge+disk galaxies with spiral arms (which
    // move light in azimuth only) rendered noiseless in 128 px stamps, the image sum matches the
    // tabulated flux within 1.5% and the curve-of-growth half-light radius matches the tabulated one
    // with median error < 2% and every galaxy within 8% (the stamp cuts < 0.5% of the light).
    [Fact]
    public void ImageFluxesAndRadiiMatchTheTable()
    {
        var options = new GalaxySimulatorOptions
        {
            Size = 128, NoiseSigma = 0, EllipticalFraction = 0, BarProbability = 0, ClumpProbability = 0,
            AxisRatio = Distribution.Constant(1), BulgeAxisRatio = Distribution.Constant(1), SpiralProbability = 0.7,
        };
        var result = new GalaxySimulator(options).Simulate(150, seed: 7);
        int hw = 128 * 128;
        var errors = new List<double>();
        for (int i = 0; i < 150; i++)
        {
            var p = result.Parameters[i];
            var plane = result.Images.Data.AsSpan(i * hw, hw);
            double flux = Measure.Sum(plane);
            Assert.True(Math.Abs(flux / p.Flux - 1) < 0.015, $"galaxy {i}: flux {flux:F3} vs table {p.Flux:F3}");
            double rh = Measure.HalfLightRadius(plane, 128, 128, p.CentreX, p.CentreY);
            errors.Add(rh / p.HalfLightRadius - 1);
        }
        double medianAbs = errors.Select(Math.Abs).OrderBy(v => v).ElementAt(75);
        Assert.True(medianAbs < 0.02, $"median |r_half error| {medianAbs:P2}");
        Assert.True(errors.Max(Math.Abs) < 0.08, $"worst r_half error {errors.Max(Math.Abs):P2}");
    }

    // Multi-band output is (N, C, H, W) and bulges are redder than disks: in g, r, z images of
    // disk galaxies with B/T >= 0.25, the central 2-px aperture is redder in g - r than the
    // annulus 2-3 half-light radii out by > 0.1 mag in the median (bulge g-r 0.75 vs disk 0.45).
    [Fact]
    public void MultiBandImagesHaveRedderBulges()
    {
        var options = new GalaxySimulatorOptions { Bands = ["g", "r", "z"], NoiseSigma = 0, EllipticalFraction = 0, ClumpProbability = 0, BarProbability = 0,
            BulgeFraction = Distribution.Uniform(0.25, 0.6) };
        var result = new GalaxySimulator(options).Simulate(60, seed: 3);
        Assert.Equal(new[] { 60, 3, 64, 64 }, result.Images.Shape);
        Assert.Equal(["g", "r", "z"], result.Bands);
        int hw = 64 * 64;
        var gradients = new List<double>();
        for (int i = 0; i < 60; i++)
        {
            var p = result.Parameters[i];
            double Aperture(int band, double r0, double r1)
            {
                double s = 0;
                var plane = result.Images.Data.AsSpan((i * 3 + band) * hw, hw);
                for (int y = 0; y < 64; y++)
                    for (int x = 0; x < 64; x++)
                    {
                        double r = Math.Sqrt((x - p.CentreX) * (x - p.CentreX) + (y - p.CentreY) * (y - p.CentreY));
                        if (r >= r0 && r < r1) s += plane[y * 64 + x];
                    }
                return s;
            }
            double inner = -2.5 * Math.Log10(Aperture(0, 0, 2) / Aperture(1, 0, 2));
            double outer = -2.5 * Math.Log10(Aperture(0, 2 * p.HalfLightRadius, 3 * p.HalfLightRadius) / Aperture(1, 2 * p.HalfLightRadius, 3 * p.HalfLightRadius));
            gradients.Add(inner - outer);
        }
        double median = gradients.OrderBy(v => v).ElementAt(30);
        Assert.True(median > 0.1, $"median inner-minus-outer g-r {median:F3} mag");
    }

    // Galaxy i depends only on (options, seed, i): re-running, or asking for fewer, reproduces it;
    // another seed does not. Default stamps are 64x64, non-negative before noise.
    [Fact]
    public void SimulationIsDeterministicAndIndexStable()
    {
        var sim = new GalaxySimulator();
        var a = sim.Simulate(6, seed: 11);
        var b = sim.Simulate(6, seed: 11);
        var c = sim.Simulate(2, seed: 11);
        var d = sim.Simulate(2, seed: 12);
        Assert.Equal(new[] { 6, 64, 64 }, a.Images.Shape);
        Assert.Equal(a.Images.Data, b.Images.Data);
        Assert.Equal(a.Images.Data.AsSpan(0, 2 * 64 * 64).ToArray(), c.Images.Data);
        Assert.NotEqual(c.Images.Data, d.Images.Data);
        Assert.Equal(a.ToCsv(), b.ToCsv());
        Assert.Equal(7, a.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var clean = new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = 0 }).Simulate(20, seed: 1);
        Assert.All(clean.Images.Data, v => Assert.True(v >= 0));
    }

    // Noise and PSF options: the background noise has the configured sigma (0.01 +-10%, from
    // the corners); a PSF conserves flux (1%) and lowers the peak.
    [Fact]
    public void NoiseAndPsfOptionsBehave()
    {
        var noisy = new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = 0.01, HalfLightRadius = Distribution.Constant(4) }).Simulate(20, seed: 4);
        var corners = new List<float>();
        for (int i = 0; i < 20; i++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++) corners.Add(noisy.Images.Data[i * 4096 + y * 64 + x]);
        double sd = Math.Sqrt(corners.Select(v => (double)v * v).Average());
        Assert.InRange(sd, 0.009, 0.011);

        var sharp = new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = 0, HalfLightRadius = Distribution.Constant(4) }).Simulate(5, seed: 8);
        var blurred = new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = 0, HalfLightRadius = Distribution.Constant(4), PsfFwhm = 3 }).Simulate(5, seed: 8);
        for (int i = 0; i < 5; i++)
        {
            var s = sharp.Images.Data.AsSpan(i * 4096, 4096);
            var b = blurred.Images.Data.AsSpan(i * 4096, 4096);
            Assert.Equal(Measure.Sum(s), Measure.Sum(b), Measure.Sum(s) * 0.01);
            Assert.True(b.ToArray().Max() < s.ToArray().Max());
        }
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        var e = Assert.Throws<InvalidSettingException>(() => new GalaxySimulator(new GalaxySimulatorOptions { Bands = ["g", "q"] }));
        Assert.Contains("'q'", e.Message);
        Assert.Equal("bands", e.Parameter);
        var e2 = Assert.Throws<InvalidSettingException>(() => Distribution.Parse("lognormal:6", "halfLightRadius"));
        Assert.Equal("halfLightRadius", e2.Parameter);
        Assert.StartsWith("--radii ", e2.MessageFor("--radii"));
        Assert.Equal("noiseSigma", Assert.Throws<InvalidSettingException>(() => new GalaxySimulator(new GalaxySimulatorOptions { NoiseSigma = -1 })).Parameter);
        Assert.Equal("size", Assert.Throws<InvalidSettingException>(() => new GalaxySimulatorOptions().ForSize(4)).Parameter);
        Assert.Equal(Distribution.LogNormal(6, 0.3, 2, 14), Distribution.Parse("lognormal:6,0.3@2,14", "x"));
    }
}
