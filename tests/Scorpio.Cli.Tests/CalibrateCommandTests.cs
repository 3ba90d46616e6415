using System.Text.Json.Nodes;

namespace Scorpio.Cli.Tests;

/// <summary>`scorpio calibrate` end to end on a tiny analytic prior (a stationary Gaussian fitted to 32 simulated 16x16 galaxies).</summary>
public class CalibrateCommandTests
{
    /// <summary>
    /// 12 simulations, 4 samples each, the score method with 20 Karras steps, PSF + 2x2 pooling: every product is written,
    /// calibration.json holds coverage in [0, 1] at each level, sbi's TARP curve with 12 / 10 = 1 bin (two edges, ECP 0 then 1)
    /// and the seed; a rerun with --batch 1 gives the same numbers, and so does mmps with all simulations in one batch against one at a time (sample j of simulation k draws from ((seed, k), j)); one
    /// simulation is a clear error naming --simulate, before the prior loads.
    /// </summary>
    [Fact]
    public void CalibrateWritesTarpCoverageAndReportOnATinyPrior()
    {
        var dir = Directory.CreateTempSubdirectory("scorpio-calibrate").FullName;
        try
        {
            string P(string f) => Path.Combine(dir, f);
            Assert.Equal(0, CliProcess.Run(dir, ["simulate", "galaxies", "--n", "32", "--size", "16", "--out", P("g.fits"), "--seed", "1"]).ExitCode);
            Assert.Equal(0, CliProcess.Run(dir, ["train", "--arch", "gaussian", "--data", P("g.fits"), "--out", P("prior")]).ExitCode);
            JsonNode Calibrate(string outDir, string method, params string[] extra)
            {
                var (rc, stdout, stderr) = CliProcess.Run(dir, ["calibrate", "--prior", P("prior"), "--simulate", "12", "--psf-model", "gaussian", "--psf-fwhm", "2",
                    "--pool", "2", "--sigma", "0.01", "--method", method, "--steps", "20", "--n", "4", "--out", P(outDir), "--seed", "5", "--threads", "2", .. extra]);
                Assert.True(rc == 0, stderr);
                Assert.Contains("68% coverage", stdout);
                Assert.Contains("simulation 12/12", stderr);
                return JsonNode.Parse(File.ReadAllText(Path.Combine(P(outDir), "calibration.json")))!;
            }
            var json = Calibrate("cal", "score");
            foreach (var f in new[] { "calibration.json", "report.html", "truths.fits", "observations.fits", "samples.fits" })
                Assert.True(File.Exists(Path.Combine(P("cal"), f)), f);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(P("cal"), "report.html")));
            Assert.Equal(new[] { 48, 16, 16 }, Scorpio.Astro.Fits.FitsFile.Read(Path.Combine(P("cal"), "samples.fits")).Shape);
            var s = json["statistics"]!;
            foreach (var level in new[] { "50", "68", "95" })
            {
                Assert.InRange(s["coverage"]![level]!["pixel"]!.GetValue<double>(), 0, 1);
                Assert.InRange(s["coverage"]![level]!["aperture_flux"]!.GetValue<double>(), 0, 1);
            }
            Assert.Equal(2, s["tarp"]!["alpha"]!.AsArray().Count);
            Assert.Equal(1.0, s["tarp"]!["ecp"]![1]!.GetValue<double>());
            Assert.InRange(s["tarp"]!["ks_p_value"]!.GetValue<double>(), 0, 1);
            Assert.Equal(5, json["seed"]!.GetValue<long>());
            Assert.Equal(12, s["tarp"]!["coverage_values"]!.AsArray().Count);
            var again = Calibrate("cal-batch1", "score", "--batch", "1");
            Assert.Equal(s["coverage"]!.ToJsonString(), again["statistics"]!["coverage"]!.ToJsonString());
            Assert.Equal(s["tarp"]!["coverage_values"]!.ToJsonString(), again["statistics"]!["tarp"]!["coverage_values"]!.ToJsonString());
            // mmps with the default batch (all 12 simulations' 48 samples in one batch, each conditioned on its own y) and one
            // simulation at a time: the same numbers.
            var mmps = Calibrate("cal-mmps", "mmps");
            var mmpsOne = Calibrate("cal-mmps-batch4", "mmps", "--batch", "4");
            Assert.Equal(mmps["statistics"]!["coverage"]!.ToJsonString(), mmpsOne["statistics"]!["coverage"]!.ToJsonString());
            Assert.Equal(mmps["statistics"]!["z_scores"]!["counts"]!.ToJsonString(), mmpsOne["statistics"]!["z_scores"]!["counts"]!.ToJsonString());

            var (bad, _, err) = CliProcess.Run(dir, ["calibrate", "--prior", P("no-such-prior"), "--simulate", "1", "--sigma", "0.01", "--out", P("x")]);
            Assert.Equal(2, bad);
            Assert.StartsWith("error: --simulate", err.TrimStart());
        }
        finally { Directory.Delete(dir, true); }
    }
}
