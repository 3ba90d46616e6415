using Scorpio.Astro;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Features;
using Scorpio.Metrics.Photometry;

namespace Scorpio.Metrics.Tests;

/// <summary>
/// FD-ResNet18's features: ONNX Runtime's against a second route (the same ONNX files evaluated by hand-written loops in
/// float64, <see cref="OnnxReference"/>) on a fixed galaxy-like stamp, and the preprocessing's stated steps.
/// </summary>
public class ResNet18FeaturesTests
{
    // A 32x32 stamp: an elliptical exponential disk with a bright core, off centre, on a faint gradient (fixed, no RNG).
    private static ImageData Galaxy()
    {
        var im = new ImageData(32, 32);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                double dx = x - 14.3, dy = (y - 17.1) / 0.6, r = Math.Sqrt(dx * dx + dy * dy);
                im[y, x] = (float)(Math.Exp(-r / 3.0) + 4 * Math.Exp(-r * r / 2.0) + 0.002 * x);
            }
        return im;
    }

    [Fact]
    public void Features_MatchAnIndependentEvaluationOfTheOnnxGraph()
    {
        var galaxy = Galaxy();
        var limits = ResNet18Features.Limits(galaxy.Reshape(1, 32, 32));
        var input = ResNet18Features.Input(Plane.Of(galaxy), limits);
        using var net = new ResNet18Features();
        var features = net.Features(input);

        string dir = ResNet18Features.DefaultModelDirectory;
        int[] dims = { 1, 3, ResNet18Features.InputSize, ResNet18Features.InputSize };
        var prepped = new OnnxReference(Path.Combine(dir, "ResNetPrepOnnx/ResNetPreprocess.onnx")).Run(input, dims);
        var reference = new OnnxReference(Path.Combine(dir, "ResNet18Onnx/ResNet18.onnx")).Run(prepped.Select(v => (float)v).ToArray(), dims);

        Assert.Equal(ResNet18Features.Dimension, features.Length);
        Assert.Equal(ResNet18Features.Dimension, reference.Length);
        // Average-pooled ReLU outputs: non-negative, and a real image excites many of them.
        Assert.All(reference, v => Assert.True(v >= 0));
        Assert.True(reference.Count(v => v > 0) > 100, $"only {reference.Count(v => v > 0)} active features");
        // float32 (ONNX Runtime, fused kernels) against float64 loops through 18 layers: agree to 1e-4 of the largest feature.
        double scale = reference.Max(), worst = features.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4 * scale, $"largest feature difference {worst:G3} against features up to {scale:G3}");
    }

    [Fact]
    public void Input_StretchesResizesAndCopiesGreyToThreeChannels()
    {
        // Limits (0, 1): 0 maps to 0 and 1 to 255; asinh(0.5/0.1)/asinh(10) = 0.7834 gives 199.8 for 0.5.
        var im = new ImageData(new float[] { 0, 1, 0.5f, 0.5f }, 2, 2);
        var input = ResNet18Features.Input(Plane.Of(im), (0, 1));
        int n = ResNet18Features.InputSize * ResNet18Features.InputSize;
        Assert.Equal(3 * n, input.Length);
        for (int c = 1; c < 3; c++) Assert.Equal(input[..n], input[(c * n)..((c + 1) * n)]); // the same plane in R, G and B
        // Enlarging 2 -> 224 bilinearly with half-pixel centres: the top-left output pixel samples input (0, 0) itself
        // (edge clamped), the top-right one (0, 1); the bottom row is the 0.5 row.
        Assert.Equal(0f, input[0], 3);
        Assert.Equal(255f, input[223], 3);
        double half = 255 * Math.Asinh(5) / Math.Asinh(10);
        Assert.Equal(half, input[223 * 224], 3);
        // Half-way along the top row (x = 111.5 in output pixels = 0.5 in input pixels): the mean of 0 and 255.
        Assert.Equal(127.5, (input[111] + input[112]) / 2.0, 0);
    }

    [Fact]
    public void FdResNet18_OfASetWithItselfIsZeroAndGrowsWithAShift()
    {
        // Four stamps: the galaxy moved by whole pixels; a second set 3x brighter. Few images, so only the ordering is stated.
        var g = Galaxy();
        ImageData Shifted(int s, float gain) => new(Enumerable.Range(0, 32 * 32).Select(i => gain * g[(i / 32 + s) % 32, (i % 32 + 2 * s) % 32]).ToArray(), 32, 32);
        var a = ImageData.Stack(Enumerable.Range(0, 4).Select(s => Shifted(s, 1)).ToList());
        var b = ImageData.Stack(Enumerable.Range(0, 4).Select(s => Shifted(s, 3)).ToList());
        using var net = new ResNet18Features();
        var limits = ResNet18Features.Limits(a);
        var fa = net.Extract(a, limits);
        var fb = net.Extract(b, limits);
        Assert.InRange(FrechetDistance.FromSamples(fa, fa), 0, 1e-6);
        Assert.True(FrechetDistance.FromSamples(fb, fa) > 1, "three times brighter galaxies should be far in ResNet18 features");
    }
}
