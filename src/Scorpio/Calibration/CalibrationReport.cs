using System.Text.Json.Nodes;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Reporting;

namespace Scorpio.Calibration;

/// <summary>
/// report.html of <c>scorpio calibrate</c>: the verdict in words, the TARP curve against the diagonal, the coverage table,
/// the z-score histogram against its calibrated shape and the posterior-predictive chi^2 (everything from calibration.json).
/// The only place that draws calibration figures, so a richer viewer can replace it.
/// </summary>
public static class CalibrationReport
{
    public static void Write(string path, JsonObject json, CalibrationStatistics statistics)
    {
        var s = json["statistics"]!;
        var tarp = s["tarp"]!;
        double V(JsonNode? n) => n?.GetValue<double>() ?? double.NaN;
        string F(JsonNode? n) => HtmlReport.Format(V(n));
        var report = new HtmlReport($"Calibration: {json["posterior_method"]?["method"]} on {json["prior"]}");
        report.Paragraph($"{json["simulations"]} truths drawn from the prior ({json["truth_sampler"]}), observed through {json["forward_model"]?["forward_model"]} " +
            $"with noise sigma {json["forward_model"]?["sigma"]?.ToString() ?? "(map)"}, {json["samples_per_truth"]} posterior samples each, seed {json["seed"]}.");
        double atc = V(tarp["atc"]), ks = V(tarp["ks_p_value"]), c68 = V(s["coverage"]!["68"]!["pixel"]);
        report.Paragraph($"Verdict: 68% pixel coverage {c68:F3} (calibrated: 0.68; the issue's target band 0.64-0.72), TARP ATC {atc:F4} " +
            $"(0 when calibrated; < 0 over-confident or biased, > 0 under-confident), KS p {ks:G3} (> 0.05: no detected miscalibration).");

        var alpha = tarp["alpha"]!.AsArray().Select(V).ToArray();
        var ecp = tarp["ecp"]!.AsArray().Select(V).ToArray();
        report.Heading("TARP expected coverage");
        report.Svg(SvgPlot.LineSvg(
        [
            new PlotSeries("ECP (sbi)", alpha, ecp),
            new PlotSeries("calibrated", [0.0, 1.0], [0.0, 1.0]) { Color = "#7f7f7f", Dashed = true },
        ], new PlotOptions { Title = "TARP", XLabel = "credibility level alpha", YLabel = "expected coverage", Width = 480, Height = 400 }),
            "Lemos et al. 2023 as sbi computes it: above the diagonal = under-confident, below = over-confident or biased.");

        report.Heading("Coverage of central intervals");
        report.Table(["level", "per pixel", "aperture flux"], CalibrationStatistics.Levels.Select(l =>
        {
            var c = s["coverage"]![$"{l * 100:F0}"]!;
            return (IReadOnlyList<string>)[$"{l:P0}", F(c["pixel"]), F(c["aperture_flux"])];
        }));
        report.Paragraph((string?)s["coverage_rule"] ?? "", "note");

        var z = s["z_scores"]!;
        report.Heading("z-scores of the truth");
        report.Svg(SvgPlot.HistogramSvg([("(truth - mean) / sd", statistics.ZScores)], 40,
            new PlotOptions { Title = "per-pixel z-scores", XLabel = "z", YLabel = "pixels", Width = 480, Height = 340 }),
            $"mean {F(z["mean"])}, sd {F(z["sd"])} (calibrated Gaussian posteriors: {F(z["sd_expected_if_calibrated"])}), |z| > 3: {F(z["fraction_abs_above_3"])}.");

        var ppc = s["posterior_predictive"]!;
        report.Heading("Posterior-predictive check of y");
        report.Table(["chi2/dof mean", "chi2/dof median", "p-value mean", "p < 0.05"],
            [[F(ppc["chi2_per_dof_mean"]), F(ppc["chi2_per_dof_median"]), F(ppc["p_value_mean"]), F(ppc["p_value_fraction_below_0.05"])]]);
        report.Paragraph("chi2 of y under each posterior sample over the observed pixels; replicated data give chi2 with that many degrees of freedom, " +
            "so the p-value is exact. Near 1 and p-values not piled up at 0: the samples explain the data.", "note");
        report.Save(path);
    }
}
