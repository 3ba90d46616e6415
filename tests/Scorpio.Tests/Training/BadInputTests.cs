using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Data;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Tests.Training;

/// <summary>Each kind of bad input gives a UserInputException whose message names the file or key.</summary>
public class BadInputTests
{
    public BadInputTests() => torch.NumThreads = 2;

    private static ImageData Image(int h, int w, float value = 1f)
    {
        var img = new ImageData(h, w);
        Array.Fill(img.Data, value);
        return img;
    }

    [Fact]
    public void EmptyFolderIsRefused()
    {
        var dir = TestPaths.TempDir("empty");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
        var e = Assert.Throws<UserInputException>(() => DatasetLoader.Load([dir]));
        Assert.Contains(dir, e.Message);
        Assert.Contains("no training images", e.Message);
    }

    [Fact]
    public void NanPixelsAreRefusedWithFileAndCount()
    {
        var dir = TestPaths.TempDir("nan");
        FitsFile.Write(Path.Combine(dir, "a.fits"), Image(8, 8));
        var bad = Image(8, 8);
        bad[2, 3] = float.NaN;
        bad[5, 5] = float.NaN;
        bad[7, 0] = float.PositiveInfinity;
        var badPath = Path.Combine(dir, "b.fits");
        FitsFile.Write(badPath, bad);
        var e = Assert.Throws<UserInputException>(() => DatasetLoader.Load([dir]));
        Assert.Contains(badPath, e.Message);
        Assert.Contains("3 NaN or infinite", e.Message);
        Assert.Contains("index (2, 3)", e.Message);
        Assert.Contains("mask", e.Message);
    }

    [Fact]
    public void MixedSizesAreRefusedNamingTheFirstDifferentFile()
    {
        var dir = TestPaths.TempDir("mixed");
        FitsFile.Write(Path.Combine(dir, "a.fits"), Image(8, 8));
        FitsFile.Write(Path.Combine(dir, "b.fits"), Image(8, 8));
        var odd = Path.Combine(dir, "c.fits");
        FitsFile.Write(odd, Image(8, 10));
        FitsFile.Write(Path.Combine(dir, "d.fits"), Image(12, 12));
        var e = Assert.Throws<UserInputException>(() => DatasetLoader.Load([dir]));
        Assert.Contains(odd, e.Message);
        Assert.Contains("(1, 8, 10)", e.Message);
        Assert.Contains(Path.Combine(dir, "a.fits"), e.Message);
    }

    [Fact]
    public void FolderOfImagesAndCubesLoadWithTheDocumentedShapes()
    {
        var dir = TestPaths.TempDir("shapes");
        var folder = Path.Combine(dir, "images");
        Directory.CreateDirectory(folder);
        FitsFile.Write(Path.Combine(folder, "a.fits"), Image(8, 8, 1));
        FitsFile.Write(Path.Combine(folder, "b.fits"), Image(8, 8, 2));
        Scorpio.Astro.Npy.NpyFile.Write(Path.Combine(folder, "c.npy"), Image(8, 8, 3));
        var cube = Path.Combine(dir, "cube.fits");
        FitsFile.Write(cube, new ImageData(new float[5 * 64], 5, 8, 8));
        var npy4 = Path.Combine(dir, "stack.npy");
        Scorpio.Astro.Npy.NpyFile.Write(npy4, new ImageData(new float[2 * 3 * 64], 2, 3, 8, 8));

        using var a = DatasetLoader.Load([folder, cube]);
        Assert.Equal(new long[] { 8, 1, 8, 8 }, a.Samples.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f }, new[] { 0, 1, 2 }.Select(i => a.Samples.Select(0, i).Max().ToDouble()).Select(v => (float)v));
        using var b = DatasetLoader.Load([npy4]);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, b.Samples.Shape);
        // A cube and a 3-band stack do not mix.
        var e = Assert.Throws<UserInputException>(() => DatasetLoader.Load([cube, npy4]));
        Assert.Contains(npy4, e.Message);
    }

    [Fact]
    public void WrongConfigKeyIsNamedWithTheValidKeys()
    {
        var e = Assert.Throws<UserInputException>(() => ConfigJson.Parse("""{ "seed": 1, "learningRate": 0.1 }""", "my.json"));
        Assert.Contains("my.json", e.Message);
        Assert.Contains("'learningRate'", e.Message);
        Assert.Contains("training", e.Message);   // the valid top-level keys are listed
        var nested = Assert.Throws<UserInputException>(() => ConfigJson.Parse("""{ "training": { "lrr": 0.1 } }""", "my.json"));
        Assert.Contains("'training.lrr'", nested.Message);
        Assert.Contains("lr", nested.Message);
        Assert.Contains("batch", nested.Message);
        var typed = Assert.Throws<UserInputException>(() => ConfigJson.Parse("""{ "training": { "steps": "many" } }""", "my.json"));
        Assert.Contains("training.steps", typed.Message);
    }

    [Fact]
    public void ImagesLargerThanTheNetworkNeedCrop()
    {
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(4, 24, 1));
        var cfg = new RunConfig { Network = TrainingFixtures.TinyUNet(16), Training = new TrainingConfig { Steps = 1, Batch = 2 } };
        var e = Assert.Throws<UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = TestPaths.TempDir("crop"), Config = cfg, Data = data, ImageSize = 16 }));
        Assert.Contains("--crop", e.Message);
        Assert.Contains("24x24", e.Message);
        // With --crop it trains on random 16x16 crops.
        var cropped = cfg with { Training = cfg.Training with { Augment = new AugmentationConfig { Crop = true } } };
        var dir = TestPaths.TempDir("crop-ok");
        Assert.Equal(TrainingOutcome.Completed, Trainer.Run(new TrainingOptions { OutDir = dir, Config = cropped, Data = data, ImageSize = 16 }).Outcome);
        using var model = ScoreModel.Load(dir, Device.CPU);
        Assert.Equal(new long[] { 3, 1, 16, 16 }, model.SampleShape(3));
    }
}
