using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Torch;

namespace Scorpio.Tests.Training;

public class AugmenterTests
{
    public AugmenterTests() => torch.NumThreads = 2;

    private static Tensor Ramp(int b, int size) => torch.Arange(0, b * size * size).Reshape(b, 1, size, size);

    [Fact]
    public void FlipsAndRotationsPermutePixelsAndAreSeeded()
    {
        using var x = Ramp(16, 6);
        var cfg = new AugmentationConfig { Flip = true, Rot90 = true };
        using var g1 = new Generator(3);
        using var g2 = new Generator(3);
        using var a = Augmenter.Apply(x, cfg, 6, g1);
        using var b = Augmenter.Apply(x, cfg, 6, g2);
        Assert.True(a.Equal(b), "same seed, same augmentation");
        int changed = 0;
        for (int i = 0; i < 16; i++)
        {
            var src = x.Select(0, i).Flatten().ToFloatArray();
            var dst = a.Select(0, i).Flatten().ToFloatArray();
            Assert.Equal(src.Order(), dst.Order());            // same pixels, rearranged
            // The result is one of the 8 symmetries of the square.
            using var s = x.Select(0, i);
            using var d = a.Select(0, i);
            bool isSymmetry = false;
            for (int k = 0; k < 4 && !isSymmetry; k++)
            {
                using var r = s.Rot90(k, [1, 2]);
                using var rf = r.Flip(2);
                isSymmetry = r.Equal(d) || rf.Equal(d);
            }
            Assert.True(isSymmetry, $"sample {i} is not a flip/rotation of its input");
            if (!src.SequenceEqual(dst)) changed++;
        }
        Assert.True(changed >= 10, $"only {changed} of 16 samples were transformed (expect ~14)");
    }

    [Fact]
    public void ShiftsMoveContentByAtMostNPixels()
    {
        // A single bright pixel in the middle: after a shift of up to 2 px it sits within 2 px of the centre.
        var v = new float[32 * 9 * 9];
        for (int i = 0; i < 32; i++) v[i * 81 + 4 * 9 + 4] = 1;
        using var x = torch.FromArray(v, 32, 1, 9, 9);
        using var g = new Generator(1);
        using var y = Augmenter.Apply(x, new AugmentationConfig { Flip = false, Rot90 = false, Shift = 2, ShiftFill = "zero" }, 9, g);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 32; i++)
        {
            var img = y.Select(0, i).Flatten().ToFloatArray();
            int at = Array.IndexOf(img, 1f);
            Assert.True(at >= 0 && img.Sum() == 1f, "the pixel moved inside the image, nothing else appeared");
            int dy = at / 9 - 4, dx = at % 9 - 4;
            Assert.InRange(dy, -2, 2);
            Assert.InRange(dx, -2, 2);
            seen.Add((dy, dx));
        }
        Assert.True(seen.Count >= 10, $"only {seen.Count} distinct shifts in 32 draws of 25 possible");
    }

    [Fact]
    public void CropsComeFromInsideTheImage()
    {
        using var x = Ramp(8, 12);
        using var g = new Generator(5);
        using var y = Augmenter.Apply(x, new AugmentationConfig { Flip = false, Rot90 = false, Crop = true }, 8, g);
        Assert.Equal(new long[] { 8, 1, 8, 8 }, y.Shape);
        for (int i = 0; i < 8; i++)
        {
            var c = y.Select(0, i).Flatten().ToFloatArray();
            // A crop of a ramp: consecutive rows differ by the row length 12 and columns by 1.
            Assert.Equal(c[0] + 1, c[1]);
            Assert.Equal(c[0] + 12, c[8]);
            int origin = (int)c[0] - i * 144;
            Assert.InRange(origin / 12, 0, 4);
            Assert.InRange(origin % 12, 0, 4);
        }
        var e = Assert.Throws<UserInputException>(() => Augmenter.Apply(x, new AugmentationConfig(), 8, g));
        Assert.Contains("--crop", e.Message);
    }
}
