using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Posterior;
using Scorpio.Metrics.Reporting;
using static Scorpio.Metrics.Reporting.HtmlReport;

namespace Scorpio.Metrics.Evaluation;

/// <summary>
/// Checks posteriors against known truths and writes metrics.json and report.html: PSNR/SSIM of the
/// posterior mean and median (beside the observation itself as the do-nothing baseline when it has
/// the truth's shape), per-pixel credible-interval coverage, residual chi^2/dof against the noise,
/// the variance ratio against prior samples, and TARP expected coverage over several posteriors.
/// </summary>
public static class PosteriorEvaluator
{
    /// <summary>Evaluates <paramref name="runs"/> against <paramref name="truths"/> (one per run); <paramref name="prior"/> enables the variance ratio.</summary>
    public static JsonObject Run(IReadOnlyList<PosteriorFolder> runs, IReadOnlyList<ImageData> truths, PosteriorSamples? prior,
        string outDir, PosteriorEvaluationOptions options, Action<string>? log = null)
    {
        if (runs.Count == 0) throw new InvalidSettingException("runs", "is empty: give at least one posterior folder");
        if (truths.Count != runs.Count) throw new InvalidSettingException("truths", $"holds {truths.Count} truth image(s) for {runs.Count} posterior folder(s); give one truth per folder");
        Directory.CreateDirectory(outDir);
        string figures = Path.Combine(outDir, "figures");
        Directory.CreateDirectory(figures);
        var report = new HtmlReport("Scorpio posterior evaluation");
        var json = new JsonObject { ["tool"] = "scorpio evaluate-posterior", ["seed"] = options.Seed };
        var runJson = new JsonArray();
        var coverageCurves = new List<(string Name, IReadOnlyList<double> Fractions)>();
        var rows = new List<string[]>();
        var zScores = new List<(string Name, IReadOnlyList<double> Values)>();

        for (int k = 0; k < runs.Count; k++)
        {
            var run = runs[k];
            var truth = truths[k];
            run.Samples.RequireImageShape(truth, $"truth for {run.Name}");
            log?.Invoke($"evaluate-posterior: {run.Name}");
            var t = truth.Data.Select(v => (double)v).ToArray();
            double range = options.DataRange ?? (t.Max() - t.Min());
            if (!(range > 0)) throw new InvalidSettingException("dataRange", $"is needed: the truth for {run.Name} is constant, so PSNR/SSIM need a given data range");
            var (psnrMean, ssimMean) = Quality(t, run.Mean, run.Samples.ImageShape, range);
            var (psnrMed, ssimMed) = Quality(t, run.Median, run.Samples.ImageShape, range);
            var cov = CredibleIntervalCoverage.Compute(run.Samples, truth, options.Levels);
            double zRms = Math.Sqrt(t.Select((v, i) => run.Std[i] > 0 ? Math.Pow((v - run.Mean[i]) / run.Std[i], 2) : 0).Average());
            zScores.Add((run.Name, t.Select((v, i) => run.Std[i] > 0 ? (v - run.Mean[i]) / run.Std[i] : double.NaN).ToArray()));
            var entry = new JsonObject
            {
                ["name"] = run.Name, ["samples"] = run.Samples.Count,
                ["shape"] = new JsonArray(run.Samples.ImageShape.Select(s => (JsonNode)s).ToArray()),
                ["data_range"] = range,
                ["psnr_mean_db"] = JsonOutput.Number(psnrMean), ["ssim_mean"] = JsonOutput.Number(ssimMean),
                ["psnr_median_db"] = JsonOutput.Number(psnrMed), ["ssim_median"] = JsonOutput.Number(ssimMed),
                ["truth_z_rms"] = JsonOutput.Number(zRms),
                ["coverage"] = new JsonObject { ["levels"] = JsonOutput.Numbers(options.Levels), ["fraction_inside"] = JsonOutput.Numbers(cov) },
            };
            string obsPsnr = "n/a", obsSsim = "n/a", chi2Text = "n/a";
            if (run.Observation is { } obs && obs.Length == t.Length)
            {
                var y = obs.Data.Select(v => (double)v).ToArray();
                var (po, so) = Quality(t, y, run.Samples.ImageShape, range);
                double sigma = options.NoiseSigma ?? ResidualChiSquare.RobustSigma(obs, run.Mean);
                double chi2 = ResidualChiSquare.Compute(obs, run.Mean, sigma);
                entry["baseline_observation"] = new JsonObject { ["psnr_db"] = JsonOutput.Number(po), ["ssim"] = JsonOutput.Number(so) };
                entry["residual"] = new JsonObject
                {
                    ["chi2_per_dof"] = JsonOutput.Number(chi2), ["noise_sigma"] = JsonOutput.Number(sigma),
                    ["noise_sigma_source"] = options.NoiseSigma.HasValue ? "given" : "robust (1.4826 MAD) estimate from the residuals, so chi2/dof ~ 1 by construction for Gaussian residuals; pass --noise-sigma for a real test",
                    ["forward_model"] = "identity (observation and posterior on the same grid: denoising or inpainting)",
                };
                (obsPsnr, obsSsim, chi2Text) = (Format(po), Format(so), Format(chi2));
            }
            else if (run.Observation != null)
                entry["residual"] = "skipped: the observation is not on the truth's grid (non-identity forward model); residuals need the forward model";
            if (prior != null)
            {
                double vr = VarianceRatio.Compute(run.Samples, prior, options.ApertureRadius);
                entry["variance_ratio"] = new JsonObject { ["value"] = JsonOutput.Number(vr), ["aperture_radius_px"] = options.ApertureRadius };
            }
            runJson.Add(entry);
            rows.Add(new[] { run.Name, Format(psnrMean), Format(ssimMean), Format(psnrMed), obsPsnr, obsSsim, chi2Text,
                Format(zRms), string.Join(" / ", cov.Select(Format)), prior != null ? Format((double)entry["variance_ratio"]!["value"]!) : "n/a" });
            coverageCurves.Add((run.Name, cov));
            if (k < 4) Figures(report, figures, run, truth, k);
        }
        json["runs"] = runJson;

        report.Heading("Posterior vs truth");
        report.Paragraph($"PSNR = 10 log10(L^2/MSE), SSIM with an 11-px Gaussian window (sigma 1.5), L = truth max - min unless given. The observation's own PSNR/SSIM is the do-nothing baseline. Residual chi^2/dof = mean((y - mean)^2 / sigma^2), identity forward model. truth z rms = rms of (truth - mean)/std (1 when the posterior width matches its error). Coverage: fraction of truth pixels inside the per-pixel central credible interval at levels {string.Join(", ", options.Levels.Select(Format))}.", "note");
        report.Table(new[] { "posterior", "PSNR mean [dB]", "SSIM mean", "PSNR median [dB]", "PSNR observation [dB]", "SSIM observation", "residual chi2/dof", "truth z rms", "coverage", "variance ratio" }, rows);
        report.Svg(ReportPlots.Coverage(options.Levels, coverageCurves));
        report.Svg(ReportPlots.Histograms("z = (truth - mean) / std, all pixels", "z", zScores, ReportPlots.StandardNormal, "N(0, 1): calibrated"));

        if (runs.Count >= 2)
        {
            var tarp = Tarp.Compute(runs.Select(r => SampleMatrix.FromStack(r.Samples.Stack)).ToList(), truths.Select(x => x.Data).ToList(), options.Seed, options.TarpBins);
            json["tarp"] = new JsonObject
            {
                ["simulations"] = runs.Count,
                ["alpha"] = JsonOutput.Numbers(tarp.Alpha), ["ecp"] = JsonOutput.Numbers(tarp.Ecp),
                ["atc"] = JsonOutput.Number(tarp.Atc), ["mean_abs_ecp_minus_alpha"] = JsonOutput.Number(tarp.MeanAbsDeviation),
                ["ks_p_value_f_uniform"] = JsonOutput.Number(tarp.KsPValue),
                ["definition"] = "Lemos et al. 2023 TARP: per-pixel min-max normalisation by the truths, one uniform random reference per simulation, f = fraction of samples closer to it than the truth, ECP(alpha) = fraction of simulations with f < alpha; ATC = sum over alpha > 0.5 of (ECP - alpha), < 0 over-confident, > 0 under-confident",
            };
            report.Heading("TARP expected coverage");
            report.Paragraph($"{runs.Count} posteriors. ATC = {Format(tarp.Atc)}, mean |ECP - alpha| = {Format(tarp.MeanAbsDeviation)}, KS p-value of f ~ U(0,1) = {Format(tarp.KsPValue)}. A calibrated posterior follows the diagonal; with few simulations the curve is noisy (binomial error ~ sqrt(alpha(1-alpha)/{runs.Count})).", "note");
            report.Svg(ReportPlots.Tarp(new (string, IReadOnlyList<double>, IReadOnlyList<double>)[] { ("TARP ECP", tarp.Alpha, tarp.Ecp) }));
        }
        else
        {
            json["tarp"] = "skipped: TARP needs posteriors of at least 2 simulations (pass several --posterior folders with one --truth each)";
        }
        JsonOutput.Save(Path.Combine(outDir, "metrics.json"), json);
        report.Save(Path.Combine(outDir, "report.html"));
        return json;
    }

    // PSNR over all values; SSIM averaged over the (H, W) planes.
    private static (double Psnr, double Ssim) Quality(double[] truth, IReadOnlyList<double> estimate, int[] shape, double range)
    {
        int h = shape[^2], w = shape[^1], planes = truth.Length / (h * w);
        double psnr = ImageQuality.Psnr(truth, estimate, range);
        if (h < 11 || w < 11) return (psnr, double.NaN);
        double ssim = 0;
        for (int p = 0; p < planes; p++)
            ssim += ImageQuality.Ssim(truth[(p * h * w)..((p + 1) * h * w)], estimate.Skip(p * h * w).Take(h * w).ToArray(), h, w, range);
        return (psnr, ssim / planes);
    }

    private static void Figures(HtmlReport report, string dir, PosteriorFolder run, ImageData truth, int k)
    {
        var images = PosteriorDisplay.FromFolder(run.Dir, run, truth);
        report.Heading($"{run.Name}", 3);
        report.Figure(PosteriorDisplay.Grid(images), $"posterior {run.Name}",
            $"{run.Name}, band 0. Top: truth, observation and posterior median on the truth's asinh stretch. Bottom: posterior std, z = (truth - mean)/std on +-3 sigma" +
            (images.Residual is null ? "." : ", and the residual y - A(median) on the observed grid."), Path.Combine(dir, $"posterior_{k}.png"));
        report.Viewer(PosteriorDisplay.Viewer(images, $"{run.Name}: viewer"));
    }
}
