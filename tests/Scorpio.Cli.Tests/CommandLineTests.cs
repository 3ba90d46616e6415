namespace Scorpio.Cli.Tests;

/// <summary>The command surface: help, version and clear errors with exit code 2.</summary>
public class CommandLineTests
{
    [Fact]
    public void HelpListsTheMainCommands()
    {
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["--help"]);
        Assert.Equal(0, rc);
        foreach (var c in new[] { "version", "demo", "train", "sample", "posterior", "calibrate", "inpaint", "transfer", "train-noise", "simulate", "data", "evaluate" })
            Assert.Contains(c, stdout);
    }

    [Fact]
    public void VersionReportsLibtorchAndBlas()
    {
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["version"]);
        Assert.Equal(0, rc);
        Assert.Contains("libtorch", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("BLAS", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMissingInputFileIsAClearErrorWithExitCode2()
    {
        var (rc, _, stderr) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["data", "stats", "no-such-file.fits"]);
        Assert.Equal(2, rc);
        Assert.Contains("no-such-file.fits", stderr);
        Assert.StartsWith("error:", stderr.TrimStart());
    }

    [Fact]
    public void SimulateTrailsWidthNarrowsTheMask()
    {
        var dir = Directory.CreateTempSubdirectory("scorpio-trail-width").FullName;
        try
        {
            string Path(string f) => System.IO.Path.Combine(dir, f);
            Assert.Equal(0, CliProcess.Run(dir, ["simulate", "galaxies", "--n", "1", "--size", "32", "--out", Path("g.fits"), "--seed", "3"]).ExitCode);
            int Masked(string width)
            {
                var args = new List<string> { "simulate", "trails", "--image", Path("g.fits"), "--out", Path("t.fits"), "--mask-out", Path("m.fits"), "--seed", "5", "--overwrite" };
                if (width != "") args.AddRange(["--width", width]);
                Assert.Equal(0, CliProcess.Run(dir, args.ToArray()).ExitCode);
                return Scorpio.Astro.Fits.FitsFile.Read(Path("m.fits")).Data.Count(v => v != 0);
            }
            // A trail of sigma 0.5 px is masked within +-1.5 px: at most ~4 px across a 32 px stamp's 45 px diagonal.
            int narrow = Masked("constant:0.5");
            Assert.InRange(narrow, 1, 4 * 46);
            Assert.True(Masked("constant:3") > 2 * narrow);
            Assert.Contains("TRLWIDTH", File.ReadAllText(Path("t.fits")));
            // A width that can be <= 0 paints nothing (or NaN at sigma 0): a clear error naming the flag.
            var (rc, _, stderr) = CliProcess.Run(dir, ["simulate", "trails", "--image", Path("g.fits"), "--out", Path("t.fits"), "--mask-out", Path("m.fits"), "--width", "constant:0", "--overwrite"]);
            Assert.Equal(2, rc);
            Assert.StartsWith("error: --width", stderr.TrimStart());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TrainNoiseNeverRotatesBecauseStripesHaveADirection()
    {
        // A 90-degree rotation turns column stripes into row stripes, a noise the detector never makes;
        // flips keep the stripe direction and stay on.
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["train-noise", "--print-config", "--image-size", "16"]);
        Assert.Equal(0, rc);
        var augment = System.Text.Json.Nodes.JsonNode.Parse(stdout)!["training"]!["augment"]!;
        Assert.False(augment["rot90"]!.GetValue<bool>());
        Assert.True(augment["flip"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("--zeta", "-1", "--zeta must be >= 0")]
    [InlineData("--scale", "0", "--scale must be a positive")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--prior-samples", "-3", "--prior-samples must be >= 0")]
    [InlineData("--aperture", "-5", "--aperture must be a positive")]
    [InlineData("--cg-iters", "-1", "--cg-iters must be >= 0")]
    public void OutOfRangePosteriorSettingsNameTheirFlag(string flag, string value, string expected)
    {
        // Checked before any file is read, so the missing prior and observation do not matter here.
        var (rc, _, stderr) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot,
            ["posterior", "--prior", "no-prior", "--obs", "no-obs.fits", "--out", "no-out", flag, value]);
        Assert.Equal(2, rc);
        Assert.Contains(expected, stderr);
    }

    /// <summary>
    /// A fitted Gaussian prior (train --arch gaussian) is a run like any other: sample, posterior (the default method, mmps),
    /// inpaint, transfer and loglik take it; summary.json records what the posterior ran.
    /// </summary>
    [Fact]
    public void AGaussianPriorRunServesEveryCommandThatTakesAPrior()
    {
        var dir = Directory.CreateTempSubdirectory("scorpio-gaussian-prior").FullName;
        try
        {
            string P(string f) => System.IO.Path.Combine(dir, f);
            void Ok(params string[] args)
            {
                var (rc, stdout, stderr) = CliProcess.Run(dir, args);
                Assert.True(rc == 0, $"{string.Join(" ", args)} failed (exit {rc})\n{stdout}\n{stderr}");
            }
            Ok("simulate", "galaxies", "--n", "40", "--size", "16", "--out", P("g.fits"), "--seed", "3");
            Ok("train", "--arch", "gaussian", "--data", P("g.fits"), "--out", P("run"), "--sde", "vp");
            Assert.Contains("\"gaussian\"", File.ReadAllText(P("run/config.json")));
            Ok("sample", "--model", P("run"), "--n", "2", "--steps", "10", "--out", P("s.fits"));
            Ok("simulate", "galaxies", "--n", "1", "--size", "16", "--out", P("truth.fits"), "--seed", "9");
            Ok("simulate", "psf", "--model", "gaussian", "--fwhm", "2", "--size", "5", "--out", P("psf.fits"));
            Ok("simulate", "observe", "--image", P("truth.fits"), "--psf", P("psf.fits"), "--pool", "2", "--sigma", "0.02", "--out", P("obs.fits"));
            Ok("posterior", "--prior", P("run"), "--obs", P("obs.fits"), "--psf", P("psf.fits"), "--pool", "2", "--sigma", "0.02",
                "--n", "2", "--steps", "10", "--prior-samples", "0", "--out", P("post"));
            var ran = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(P("post/summary.json")))!["posterior_method"]!;
            Assert.Equal("mmps", ran["method"]!.GetValue<string>());
            Assert.Equal(Scorpio.Posterior.MmpsPosteriorMethod.DefaultCgIterations, ran["cg_iterations"]!.GetValue<int>());
            Ok("simulate", "trails", "--image", P("truth.fits"), "--out", P("trail.fits"), "--mask-out", P("mask.fits"), "--seed", "5");
            Ok("inpaint", "--prior", P("run"), "--image", P("trail.fits"), "--mask", P("mask.fits"), "--n", "2", "--steps", "10", "--out", P("inpaint"));
            Ok("transfer", "--prior", P("run"), "--image", P("truth.fits"), "--n", "2", "--steps", "10", "--out", P("transfer"));
            Ok("loglik", "--model", P("run"), "--data", P("g.fits"), "--n", "2", "--out", P("ll.json"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
