using Scorpio.Astro;
using Scorpio.Astro.Simulation;

namespace Scorpio.Astro.Tests;

public class ObservationTests
{
    // Observe = PSF convolution (flux conserved for a source well inside the frame), K x K average
    // pooling (so the pooled image sums to the original sum / K^2), then noise of the given sigma
    // (measured 0.05 +-5% from the difference with the noiseless observation).
    [Fact]
    public void ObserveBlursPoolsAndAddsNoise()
    {
        var x = GalaxySimulator.RenderSersic(64, 64, 32, 32, 200, 4, 1).Reshape(1, 64, 64);
        var psf = PsfSimulator.Create(PsfModel.Moffat, 3, 21);
        var clean = Observation.Observe(x, psf, 2, 0, NoiseKind.White, seed: 1);
        Assert.Equal(new[] { 1, 32, 32 }, clean.Shape);
        Assert.Equal(200.0 / 4, Measure.Sum(clean.Data), 1.0);
        var noisy = Observation.Observe(x, psf, 2, 0.05, NoiseKind.White, seed: 1);
        double sd = Math.Sqrt(noisy.Data.Zip(clean.Data, (a, b) => (double)(a - b) * (a - b)).Average());
        Assert.InRange(sd, 0.0475, 0.0525);
        var again = Observation.Observe(x, psf, 2, 0.05, NoiseKind.White, seed: 1);
        Assert.Equal(noisy.Data, again.Data);
    }

    // Pooling a constant image keeps the constant; a size that K does not divide is refused with the fix.
    [Fact]
    public void PoolingKeepsSurfaceBrightnessAndChecksSizes()
    {
        var img = new ImageData(Enumerable.Repeat(3f, 2 * 3 * 12 * 12).ToArray(), 2, 3, 12, 12);
        var pooled = AveragePooling.Apply(img, 3);
        Assert.Equal(new[] { 2, 3, 4, 4 }, pooled.Shape);
        Assert.All(pooled.Data, v => Assert.Equal(3f, v, 5));
        var e = Assert.Throws<InvalidSettingException>(() => AveragePooling.Apply(new ImageData(10, 10), 3));
        Assert.Contains("multiple of 3", e.Message);
        // Through the observation the setting is its pool.
        var o = Assert.Throws<InvalidSettingException>(() => Observation.Observe(new ImageData(10, 10), null, 3, 0.1, NoiseKind.White, 1));
        Assert.Equal("pool", o.Parameter);
        Assert.Equal("pool", Assert.Throws<InvalidSettingException>(() => Observation.Observe(new ImageData(10, 10), null, 0, 0.1, NoiseKind.White, 1)).Parameter);
    }

    // With the 1f noise model the noise has stripes: column means vary much more than for white
    // noise of the same read noise.
    [Fact]
    public void DetectorNoiseModelsCanBeUsed()
    {
        var x = new ImageData(1, 64, 128);
        var white = Observation.Observe(x, null, 1, 1.0, NoiseKind.White, 2);
        var pink = Observation.Observe(x, null, 1, 1.0, NoiseKind.OneOverF, 2);
        Assert.True(NoiseTests.LineMeanVariance(pink.Plane(0), true) > 5 * NoiseTests.LineMeanVariance(white.Plane(0), true));
    }
}
