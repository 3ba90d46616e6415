using System.Diagnostics;
using System.Globalization;
using Scorpio.Astro.Fits;

namespace Scorpio.Cli.Tests;

/// <summary>
/// Survey-scale inference (docs/scale-out.md): a catalogue of 64 observed 16x16 stamps through a tiny prior, run whole and
/// in shards, killed and resumed, then merged. Object j draws from (seed, j) whatever shard it falls in, so every result
/// must be identical bit for bit, and the merge must refuse missing or duplicated objects.
/// </summary>
public sealed class CatalogueRunTests : IClassFixture<CatalogueRunTests.Setup>
{
    private readonly Setup _s;

    public CatalogueRunTests(Setup setup) => _s = setup;

    /// <summary>A tiny prior, the 64-stamp cube, and the unsharded posterior run merged (the reference).</summary>
    public sealed class Setup : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("scorpio-catalogue").FullName;
        public string P(string f) => Path.Combine(Dir, f);

        public Setup()
        {
            Ok(["simulate", "galaxies", "--n", "64", "--size", "16", "--out", P("train.fits"), "--seed", "1"]);
            Ok(["train", "--data", P("train.fits"), "--out", P("prior"), "--preset", "tiny", "--steps", "4", "--batch", "8"]);
            Ok(["simulate", "galaxies", "--n", "64", "--size", "16", "--out", P("truth.fits"), "--seed", "2"]);
            Ok(["simulate", "psf", "--model", "gaussian", "--fwhm", "2", "--size", "7", "--out", P("psf.fits")]);
            Ok(["simulate", "observe", "--image", P("truth.fits"), "--psf", P("psf.fits"), "--sigma", "0.05", "--out", P("obs.fits"), "--seed", "3"]);
            Ok(Posterior("whole"));
            Ok(["merge", P("whole"), "--samples"]);
        }

        public string[] Posterior(string outDir, params string[] extra) =>
            ["posterior", "--prior", P("prior"), "--catalogue", P("obs.fits"), "--psf", P("psf.fits"), "--sigma", "0.05", "--steps", "4", "--n", "2",
             "--prior-samples", "0", "--out", P(outDir), "--seed", "5", "--threads", "1", .. extra];

        public string Ok(string[] args)
        {
            var (rc, stdout, stderr) = CliProcess.Run(Dir, args, timeoutSeconds: 300);
            Assert.True(rc == 0, $"scorpio {string.Join(" ", args)} failed ({rc}): {stderr}");
            return stdout;
        }

        public void Dispose() => Directory.Delete(Dir, true);
    }

    private static void AssertSameData(string a, string b)
    {
        var (x, y) = (FitsFile.Read(a), FitsFile.Read(b));
        Assert.Equal(x.Shape, y.Shape);
        Assert.True(x.Data.Select(BitConverter.SingleToInt32Bits).SequenceEqual(y.Data.Select(BitConverter.SingleToInt32Bits)), $"{a} and {b} differ");
    }

    private void AssertMergedLikeWhole(string run)
    {
        string whole = Path.Combine(_s.P("whole"), "merged"), merged = Path.Combine(run, "merged");
        foreach (var product in new[] { "samples.fits", "mean.fits", "median.fits", "std.fits", "p16.fits", "p84.fits", "residual.fits" })
            AssertSameData(Path.Combine(whole, product), Path.Combine(merged, product));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "objects.csv")), File.ReadAllText(Path.Combine(merged, "objects.csv")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(run, "objects"), ".*"));   // nothing half-written left
    }

    [Fact]
    public void FourShardsThenMergeEqualTheUnshardedRunBitForBit()
    {
        // The four shards run at once, as the tasks of a job array would (they share catalogue.json and objects/).
        var shards = Enumerable.Range(0, 4).Select(i => CliProcess.Start(_s.Dir, _s.Posterior("sharded", "--shard", $"{i}/4"))).ToArray();
        var errors = shards.Select(p => p.StandardError.ReadToEndAsync()).ToArray();
        foreach (var p in shards) { _ = p.StandardOutput.ReadToEndAsync(); Assert.True(p.WaitForExit(TimeSpan.FromSeconds(300))); }
        for (int i = 0; i < 4; i++) Assert.True(shards[i].ExitCode == 0, $"shard {i}/4: {errors[i].Result}");
        Assert.Equal(64, Directory.GetDirectories(Path.Combine(_s.P("sharded"), "objects")).Length);
        _s.Ok(["merge", _s.P("sharded"), "--samples"]);
        AssertMergedLikeWhole(_s.P("sharded"));
        var mean = FitsFile.Read(Path.Combine(_s.P("sharded"), "merged", "mean.fits"));
        Assert.Equal(new[] { 64, 16, 16 }, mean.Shape);
    }

    [Fact]
    public void AShardKilledMidWayFinishesWhenRunAgain()
    {
        string run = _s.P("killed");
        var p = CliProcess.Start(_s.Dir, _s.Posterior("killed"));
        _ = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        string objects = Path.Combine(run, "objects");
        while (!Directory.Exists(objects) || Directory.GetDirectories(objects).Count(d => !Path.GetFileName(d).StartsWith('.')) < 5)
        {
            Assert.False(p.HasExited, "the run ended before it could be killed");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(200), "no progress");
            Thread.Sleep(20);
        }
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        int before = Directory.GetDirectories(objects).Count(d => !Path.GetFileName(d).StartsWith('.'));
        Assert.InRange(before, 5, 63);
        // The merge refuses the incomplete run and says what to do.
        var (rc, _, stderr) = CliProcess.Run(_s.Dir, ["merge", run]);
        Assert.Equal(2, rc);
        Assert.Contains("objects are missing", stderr);
        Assert.Contains("run the posterior shards again", stderr);

        string stdout = _s.Ok(_s.Posterior("killed"));
        Assert.Contains($"{before} already done", stdout);
        _s.Ok(["merge", run, "--samples"]);
        AssertMergedLikeWhole(run);
    }

    [Fact]
    public void TheMergeRefusesMissingAndDuplicatedObjects()
    {
        string run = _s.P("broken");
        CopyDirectory(_s.P("whole"), run);
        Directory.Delete(Path.Combine(run, "merged"), true);
        string objects = Path.Combine(run, "objects");
        Directory.Delete(Path.Combine(objects, "000017"), true);                                           // 17 missing
        CopyDirectory(Path.Combine(objects, "000018"), Path.Combine(objects, "0000018"));                 // 18 twice
        var (rc, _, stderr) = CliProcess.Run(_s.Dir, ["merge", run]);
        Assert.Equal(2, rc);
        Assert.Contains("object 18 is duplicated", stderr);
        Assert.Contains("1 of 64 objects are missing (17)", stderr);
        Assert.False(Directory.Exists(Path.Combine(run, "merged")));
        // A shard with other settings is refused before it writes anything.
        var (rc2, _, stderr2) = CliProcess.Run(_s.Dir, [.. _s.Posterior("broken").Select(a => a == "4" ? "5" : a)]);
        Assert.Equal(2, rc2);
        Assert.Contains("steps", stderr2);
        Assert.Contains("Choose another --out", stderr2);
    }

    [Fact]
    public void SampleAndTransferShardsEqualUnshardedRuns()
    {
        // sample: 10 samples in blocks of --batch 4 over 2 shards = one unsharded run with --batch 4.
        string[] Sample(string output, params string[] extra) =>
            ["sample", "--model", _s.P("prior"), "--n", "10", "--batch", "4", "--sampler", "euler-maruyama", "--steps", "5", "--out", _s.P(output), "--seed", "9", "--threads", "1", .. extra];
        _s.Ok(Sample("samples.fits"));
        _s.Ok(Sample("sample-run", "--shard", "1/2"));
        _s.Ok(Sample("sample-run", "--shard", "0/2"));
        _s.Ok(["merge", _s.P("sample-run")]);
        AssertSameData(_s.P("samples.fits"), Path.Combine(_s.P("sample-run"), "merged", "samples.fits"));

        // transfer: a list file of 3 stamps, whole and in 2 shards.
        for (int j = 0; j < 3; j++)
        {
            var plane = FitsFile.Read(_s.P("truth.fits")).Plane(j);
            FitsFile.Write(_s.P($"stamp{j}.fits"), plane);
        }
        File.WriteAllText(_s.P("stamps.txt"), "# three stamps\nstamp0.fits\nstamp1.fits\n\nstamp2.fits\n");
        string[] Transfer(string output, params string[] extra) =>
            ["transfer", "--prior", _s.P("prior"), "--catalogue", _s.P("stamps.txt"), "--t", "0.3", "--steps", "6", "--n", "2", "--out", _s.P(output), "--threads", "1", .. extra];
        _s.Ok(Transfer("transfer-whole"));
        _s.Ok(Transfer("transfer-sharded", "--shard", "0/2"));
        _s.Ok(Transfer("transfer-sharded", "--shard", "1/2"));
        foreach (var run in new[] { "transfer-whole", "transfer-sharded" }) _s.Ok(["merge", _s.P(run), "--samples"]);
        foreach (var product in new[] { "samples.fits", "median.fits" })
            AssertSameData(Path.Combine(_s.P("transfer-whole"), "merged", product), Path.Combine(_s.P("transfer-sharded"), "merged", product));
        Assert.Contains("stamp2.fits", File.ReadAllText(Path.Combine(_s.P("transfer-whole"), "merged", "objects.csv")));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to));
    }
}
