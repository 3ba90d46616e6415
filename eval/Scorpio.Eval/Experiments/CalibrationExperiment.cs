using System.Text;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Calibration;
using Scorpio.Posterior;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Issue 14 (Tier C, none of the papers): calibration of the posterior methods in distribution, as <c>scorpio calibrate</c>
/// runs it (<see cref="CalibrationRun"/>). Truths are drawn from the galaxy prior itself (EDM Heun, 18 points), observed
/// through a Gaussian PSF (FWHM 3 model px), 2x2 pooling and white noise sigma 0.05 (the prior's flux units), and each
/// posterior is sampled by mmps (its defaults: EDM's Heun, 35 Karras points, 4 CG iterations) and by the score posterior
/// (Euler-Maruyama, 200 Karras points) with the same seed, so both see identical truths and observations. Per method: per-pixel
/// and aperture-flux coverage at 50/68/95% (from the truth's rank among the samples), z-scores against their calibrated
/// spread, TARP as sbi's check_tarp (ECP curve, ATC, KS p) and the posterior-predictive chi^2 of y; the issue's target is 68%
/// pixel coverage in [0.64, 0.72] with TARP KS p &gt; 0.05. Because the truths are the prior's own draws this tests the
/// sampler and the network's posterior approximation, not whether the prior is a realistic model of galaxies.
/// </summary>
public sealed class CalibrationExperiment : IExperiment
{
    public string Name => "calibration";
    public string Title => "Calibration: coverage and TARP of the posterior methods in distribution";

    private const double PsfFwhm = 3;     // model px
    private const int Pool = 2;
    private const double Sigma = 0.05;    // white noise on the observed grid, the prior's flux units
    private const double TargetLow = 0.64, TargetHigh = 0.72, TargetKsP = 0.05;   // issue 14's acceptance for 68% coverage and TARP

    // mmps at its shipped defaults (sampler and points); the score posterior by Euler-Maruyama on 200 Karras points.
    private static readonly (string Key, string Label, string Sampler, int Steps)[] Methods =
    {
        ("mmps", $"mmps (moment matching), {MmpsPosteriorMethod.DefaultSampler}", MmpsPosteriorMethod.DefaultSampler, MmpsPosteriorMethod.DefaultSteps),
        ("score", "score posterior (convolved Gaussian likelihood), Euler-Maruyama", "euler-maruyama", 200),
    };

    public JsonObject Run(ExperimentContext ctx)
    {
        using var prior = LoadedModel.Load(ctx, GalaxyPrior.Get(ctx));
        // 4 samples per truth: rank coverage is exact for any number, and 8 would double the run (about 80 minutes on 2 cores).
        int sims = ctx.Pick(3, 100), n = ctx.Pick(2, 4);
        var results = new JsonObject();
        var curves = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>)>();
        JsonNode? truthSampler = null;
        foreach (var (key, label, sampler, fullSteps) in Methods)
        {
            int steps = ctx.Pick(4, fullSteps);
            var settings = new PosteriorSettings
            {
                Sampler = sampler, Grid = "karras", Steps = steps,
                CgIterations = key == "mmps" ? MmpsPosteriorMethod.DefaultCgIterations : null,
            };
            var request = new CalibrationRequest
            {
                Exposure = new ExposureSpec { PsfModel = "gaussian", PsfFwhm = PsfFwhm, Pool = Pool, Sigma = Sigma },
                Simulations = sims, SamplesPerTruth = n, Method = key, Settings = settings,
                Seed = ctx.Seed, Device = ctx.TorchDevice, OutDir = Path.Combine(ctx.WorkDir, key),
            };
            ctx.Step($"{label}, {steps} Karras points: {sims} simulations x {n} samples");
            var run = ctx.Timed($"calibrate --method {key} --sampler euler-maruyama --grid karras --steps {steps}" +
                                (settings.CgIterations is int cg ? $" --cg-iters {cg}" : "") + $" --simulate {sims} --n {n} --seed {ctx.Seed}",
                () => CalibrationRun.Run(prior.Prior, request, line => ctx.Log.WriteLine("    " + line)));
            var s = run.Summary;
            var st = s["statistics"]!;
            var method = s["posterior_method"]!;
            truthSampler ??= s["truth_sampler"]!.DeepClone();
            var tarp = st["tarp"]!;
            var coverage = new JsonObject();
            foreach (double level in CalibrationStatistics.Levels)
            {
                var c = st["coverage"]![$"{level * 100:F0}"]!;
                coverage[$"{level * 100:F0}"] = new JsonObject { ["pixel"] = c["pixel"]!.DeepClone(), ["aperture_flux"] = c["aperture_flux"]!.DeepClone() };
            }
            results[key] = new JsonObject
            {
                ["label"] = label,
                ["settings"] = new JsonObject
                {
                    ["method"] = key, ["sampler"] = method["sampler"]!.DeepClone(), ["grid"] = method["grid"]!.DeepClone(),
                    ["grid_points"] = method["grid_points"]!.DeepClone(), ["cg_iterations"] = method["cg_iterations"]?.DeepClone(),
                    ["shipped_default_grid_points"] = key == "mmps" ? MmpsPosteriorMethod.DefaultSteps : null,
                },
                ["coverage"] = coverage,
                ["z_mean"] = st["z_scores"]!["mean"]!.DeepClone(),
                ["z_sd"] = st["z_scores"]!["sd"]?.DeepClone(),
                ["z_sd_calibrated"] = st["z_scores"]!["sd_expected_if_calibrated"]?.DeepClone(),
                ["z_fraction_abs_above_3"] = st["z_scores"]!["fraction_abs_above_3"]?.DeepClone(),
                ["tarp_alpha"] = tarp["alpha"]!.DeepClone(), ["tarp_ecp"] = tarp["ecp"]!.DeepClone(),
                ["tarp_atc"] = tarp["atc"]?.DeepClone(), ["tarp_ks_p_value"] = tarp["ks_p_value"]?.DeepClone(), ["tarp_bins"] = tarp["bins"]!.DeepClone(),
                ["tarp_coverage_values_uniform_ks_p"] = tarp["coverage_values_uniform_ks_p"]?.DeepClone(),
                ["chi2_per_dof_median"] = st["posterior_predictive"]!["chi2_per_dof_median"]?.DeepClone(),
                ["ppc_p_fraction_below_0.05"] = st["posterior_predictive"]!["p_value_fraction_below_0.05"]?.DeepClone(),
                ["seconds_per_simulation"] = s["timings_seconds"]!["per_simulation"]!.DeepClone(),
                ["seconds_truths"] = s["timings_seconds"]!["truths"]!.DeepClone(),
                ["network_evaluations_per_sample"] = method["evaluations_per_batch"]!.DeepClone(),
                ["vjps_per_sample"] = method["vjps_per_batch"]?.DeepClone(),
            };
            curves.Add((label, Doubles(tarp["alpha"]), Doubles(tarp["ecp"])));
        }
        Scorpio.Astro.DataTools.AtomicFile.WriteAllText(Path.Combine(ctx.FigureDir, "tarp.svg"), Scorpio.Metrics.Reporting.ReportPlots.Tarp(curves));
        SaveExample(Path.Combine(ctx.WorkDir, "mmps"), n, Path.Combine(ctx.FigureDir, "example.png"));

        return new JsonObject
        {
            ["prior"] = Path.GetFileName(prior.Dir.TrimEnd('/')),
            ["truth_sampler"] = truthSampler,
            ["simulations"] = sims, ["samples_per_truth"] = n, ["seed"] = ctx.Seed,
            ["same_truths"] = "both methods run with the same seed: truth k and its noise draw from (seed, k), so the truths and observations are identical",
            ["psf"] = "gaussian", ["psf_fwhm_model_px"] = PsfFwhm, ["pool"] = Pool, ["sigma"] = Sigma,
            ["target_coverage_68"] = new JsonArray(TargetLow, TargetHigh), ["target_tarp_ks_p"] = TargetKsP,
            ["methods"] = results,
            ["figures"] = new JsonArray("tarp.svg", "example.png"),
        };
    }

    /// <summary>Simulation 0 of a calibration folder: truth, observation (each pixel as a Pool x Pool block), posterior mean and sd.</summary>
    private static void SaveExample(string dir, int n, string path)
    {
        var truth = FitsFile.Read(Path.Combine(dir, "truths.fits")).Plane(0);
        var observed = FitsFile.Read(Path.Combine(dir, "observations.fits")).Plane(0);
        var samples = FitsFile.Read(Path.Combine(dir, "samples.fits"));
        int d = truth.Width * truth.Height;
        var mean = new ImageData(truth.Height, truth.Width);
        var sd = new ImageData(truth.Height, truth.Width);
        for (int p = 0; p < d; p++)
        {
            double sum = 0, sq = 0;
            for (int j = 0; j < n; j++) { double v = samples.Data[(long)j * d + p]; sum += v; sq += v * v; }
            double m = sum / n;
            mean.Data[p] = (float)m;
            sd.Data[p] = (float)Math.Sqrt(Math.Max(sq / n - m * m, 0) * n / (n - 1));
        }
        Preview.SaveGrid(path, StampMath.ForDisplay(new[] { truth, StampMath.Replicate(observed, Pool), mean, sd }), Stretch.Asinh(0.05),
            new[] { "truth", "observation", "mmps mean", "mmps sd" }, columns: 4);
    }

    private static double[] Doubles(JsonNode? a) => a!.AsArray().Select(v => JsonPath.Number(v)).ToArray();

    public string Section(JsonObject envelope, string figureLink)
    {
        var r = envelope["results"]!.AsObject();
        var methods = r["methods"]!.AsObject();
        string F(double v) => StampMath.F(v);
        var sb = new StringBuilder();
        var mmps = methods["mmps"]!["settings"]!;
        sb.AppendLine($"**What was done.** `scorpio calibrate` (Tier C of issue 14) with the prior `models/{r["prior"]}`: {r["simulations"]} truths drawn from the prior itself " +
            $"({r["truth_sampler"]}), each observed through a Gaussian PSF (FWHM {F(StampMath.D(r, "psf_fwhm_model_px"))} model px), {r["pool"]}x{r["pool"]} pooling and white noise " +
            $"sigma = {F(StampMath.D(r, "sigma"))}, and {r["samples_per_truth"]} posterior samples per truth from each method. Both methods ran with the same seed ({r["seed"]}), " +
            "so their truths and observations are identical. mmps: " + SamplerName(mmps) + $" on {mmps["grid_points"]} Karras points with {mmps["cg_iterations"]} CG iterations" +
            (JsonPath.Number(mmps["grid_points"]) < JsonPath.Number(mmps["shipped_default_grid_points"])
                ? $" (its shipped default is {mmps["shipped_default_grid_points"]} points; {mmps["grid_points"]} here for time). " : ". ") + $"score: Euler-Maruyama on {methods["score"]!["settings"]!["grid_points"]} Karras points. " +
            "Coverage counts the truth's rank among the samples (exact for any number of samples), per pixel and for the flux in the central aperture; " +
            "z = (truth - posterior mean) / posterior sd per pixel, whose calibrated sd with n samples is sqrt((1 + 1/n)(n - 1)/(n - 3)); TARP (Lemos et al. 2023) on whole images " +
            "with sbi's check_tarp (simulations / 10 bins); chi^2/dof of y under each sample and the fraction of simulations whose posterior-predictive p < 0.05.");
        sb.AppendLine();
        sb.AppendLine("| method | grid points | network evaluations per sample | s per simulation | coverage 50 / 68 / 95%, pixel | coverage 50 / 68 / 95%, aperture flux | z mean | z sd (calibrated) | TARP ATC | TARP KS p | chi^2/dof median | PPC p < 0.05 |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (key, node) in methods)
        {
            var e = node!.AsObject();
            string Cov(string kind) => string.Join(" / ", CalibrationStatistics.Levels.Select(l => F(JsonPath.Number(e["coverage"]![$"{l * 100:F0}"]![kind]))));
            string nfe = $"{e["network_evaluations_per_sample"]}" + (e["vjps_per_sample"] is JsonNode v ? $" (+ {v} VJPs)" : "");
            sb.AppendLine($"| {e["label"]} | {e["settings"]!["grid_points"]} | {nfe} | {F(StampMath.D(e, "seconds_per_simulation"))} | {Cov("pixel")} | {Cov("aperture_flux")} | " +
                          $"{F(StampMath.D(e, "z_mean"))} | {F(StampMath.D(e, "z_sd"))} ({F(StampMath.D(e, "z_sd_calibrated"))}) | {F(StampMath.D(e, "tarp_atc"))} | " +
                          $"{F(StampMath.D(e, "tarp_ks_p_value"))} | {F(StampMath.D(e, "chi2_per_dof_median"))} | {F(StampMath.D(e, "ppc_p_fraction_below_0.05"))} |");
        }
        sb.AppendLine();
        sb.AppendLine($"![tarp]({figureLink}/tarp.svg) ![example]({figureLink}/example.png)");
        sb.AppendLine();
        sb.AppendLine("Left: TARP expected coverage against credibility level alpha (mmps red, score blue; dashed grey: the diagonal; alpha spans the range of the " +
            "coverage values, as sbi's histogram does). Right: simulation 0: truth, observation, mmps posterior mean and sd.");
        sb.AppendLine();
        sb.AppendLine("**Reading.** " + string.Join(" ", methods.Select(m => Verdict(m.Key, m.Value!))) +
            " The truths are the prior's own draws, so this tests the posterior sampler and the network's approximation of the posterior score, " +
            "not whether the prior is a realistic model of galaxies.");
        sb.AppendLine();
        sb.AppendLine($"**Scale-down.** The issue asks for 200 simulations; {r["simulations"]} here with {r["samples_per_truth"]} samples each on a CPU, " +
            "so TARP has few bins and its KS test little power.");
        return sb.ToString();
    }

    /// <summary>One method's verdict against the issue's target, and its dispersion read from the z spread.</summary>
    private static string Verdict(string key, JsonNode e)
    {
        string F(double v) => StampMath.F(v);
        double c68 = JsonPath.Number(e["coverage"]!["68"]!["pixel"]), ks = StampMath.D(e, "tarp_ks_p_value");
        double zSd = StampMath.D(e, "z_sd"), zCal = StampMath.D(e, "z_sd_calibrated");
        bool meets = c68 >= TargetLow && c68 <= TargetHigh && ks > TargetKsP;
        string why = meets ? "meets" : "misses";
        var parts = new List<string>();
        if (c68 < TargetLow || c68 > TargetHigh) parts.Add($"68% pixel coverage {F(c68)} outside [{F(TargetLow)}, {F(TargetHigh)}]");
        else parts.Add($"68% pixel coverage {F(c68)} inside [{F(TargetLow)}, {F(TargetHigh)}]");
        parts.Add(ks > TargetKsP ? $"TARP KS p {F(ks)} > {F(TargetKsP)}" : $"TARP KS p {F(ks)} <= {F(TargetKsP)}");
        string dispersion = !double.IsFinite(zSd) || !double.IsFinite(zCal) ? "its z spread is undefined with this few samples"
            : zSd > 1.1 * zCal ? $"it is over-confident (under-dispersed: z sd {F(zSd)} above the calibrated {F(zCal)}, the posterior too narrow)"
            : zSd < zCal / 1.1 ? $"it is under-confident (over-dispersed: z sd {F(zSd)} below the calibrated {F(zCal)}, the posterior too wide)"
            : $"its spread is close to calibrated (z sd {F(zSd)}, calibrated {F(zCal)})";
        double zMean = StampMath.D(e, "z_mean"), flux68 = JsonPath.Number(e["coverage"]!["68"]!["aperture_flux"]);
        // A calibrated posterior's z mean is 0 within about 1 / sqrt(simulations); 0.2 is far outside that for 100 truths.
        string bias = Math.Abs(zMean) > 0.2
            ? $"; it is biased: z mean {F(zMean)} (the truths lie {(zMean > 0 ? "above" : "below")} the posterior mean on average), and the aperture flux's central 68% interval holds {F(flux68)} of the truths"
            : "";
        return $"`{key}` {why} the issue's target ({string.Join(", ", parts)}); {dispersion}{bias}.";
    }

    /// <inheritdoc />
    public string Headline(JsonObject r)
    {
        string One(string key)
        {
            var e = r["methods"]![key]!;
            double c68 = JsonPath.Number(e["coverage"]!["68"]!["pixel"]), ks = StampMath.D(e, "tarp_ks_p_value");
            bool meets = c68 >= TargetLow && c68 <= TargetHigh && ks > TargetKsP;
            return $"{key} {JsonPath.Format(c68)}, KS p {JsonPath.Format(ks)} ({(meets ? "meets" : "misses")} the target)";
        }
        return $"68% pixel coverage (target [0.64, 0.72]) and TARP KS p (target > 0.05) on draws from the prior: {One("mmps")}; {One("score")}";
    }

    /// <summary>The sampler a method's settings name, as the section prints it (results written before the JSON held it: Euler-Maruyama).</summary>
    private static string SamplerName(JsonNode settings) => settings["sampler"]?.GetValue<string>() switch
    {
        null or "euler-maruyama" => "Euler-Maruyama",
        "edm-heun" => "EDM's Heun",
        var other => other,
    };
}
