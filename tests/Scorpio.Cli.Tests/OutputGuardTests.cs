namespace Scorpio.Cli.Tests;

/// <summary>
/// The output guard of every writing command: an existing output is replaced only with --overwrite; an input or a run's own
/// file never, and a refused command leaves the file as it was (bytes compared).
/// </summary>
public class OutputGuardTests
{
    private static (int Code, string Stderr) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var err = new StringWriter();
        Console.SetOut(TextWriter.Null);
        Console.SetError(err);
        try { return (ScorpioCli.Run([.. args, "--threads", "1"]), err.ToString().Trim()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    [Fact]
    public void ExistingOutputsAreReplacedOnlyWithOverwriteAndRunFilesNever()
    {
        var work = Scorpio.Tests.TestPaths.TempDir("guard");
        string W(string f) => Path.Combine(work, f);
        Assert.Equal(0, Run("simulate", "galaxies", "--n", "8", "--size", "16", "--out", W("g.fits")).Code);
        Assert.Equal(0, Run("train", "--data", W("g.fits"), "--out", W("run"), "--preset", "tiny", "--steps", "2", "--batch", "4").Code);
        var weights = File.ReadAllBytes(W("run/model.safetensors"));

        // The run's own weights: refused with and without --overwrite, bytes untouched (the data loss).
        foreach (var extra in new[] { Array.Empty<string>(), ["--overwrite"] })
        {
            var (code, err) = Run(["sample", "--model", W("run"), "--n", "1", "--steps", "2", "--out", W("run/model.safetensors"), .. extra]);
            Assert.Equal(2, code);
            Assert.Contains("a file of the training run", err);
        }
        Assert.Equal(weights, File.ReadAllBytes(W("run/model.safetensors")));

        // A new file is written; writing it again needs --overwrite, which replaces it.
        Assert.Equal(0, Run("sample", "--model", W("run"), "--n", "1", "--steps", "2", "--out", W("s.fits"), "--png", W("s.png")).Code);
        var first = File.ReadAllBytes(W("s.fits"));
        var again = Run("sample", "--model", W("run"), "--n", "2", "--steps", "2", "--out", W("s.fits"));
        Assert.Equal(2, again.Code);
        Assert.Contains("--overwrite", again.Stderr);
        Assert.Equal(first, File.ReadAllBytes(W("s.fits")));
        Assert.Equal(0, Run("sample", "--model", W("run"), "--n", "2", "--steps", "2", "--out", W("s.fits"), "--png", W("s.png"), "--overwrite").Code);
        Assert.Equal(2, Scorpio.Astro.Fits.FitsFile.Read(W("s.fits")).Shape[0]);
        Assert.False(File.Exists(W("s.partial.fits")));

        // An output spelled differently (through a symbolic link) is still the input.
        Directory.CreateSymbolicLink(W("alias"), work);
        var (c2, e2) = Run("simulate", "observe", "--image", W("g.fits"), "--sigma", "0.1", "--out", Path.Combine(W("alias"), "g.fits"), "--overwrite");
        Assert.Equal(2, c2);
        Assert.Contains("would replace the input --image", e2);
    }
}
