using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Baselines;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Posterior;
using Scorpio.Posterior;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// Issue 9 item 4 (DPS and HST papers): a real Subaru HSC i-band stamp deconvolved onto a model grid of half the HSC
/// pixel (0.084"/px, the 32x32 galaxy prior's grid), compared with the HST image of the same field resampled onto that
/// grid (flux-conserving, through both cutouts' WCS) as the ground truth. Methods: the score posterior with the
/// convolved Gaussian likelihood, mmps (moment-matching posterior sampling, Rozet et al. 2024; `scorpio posterior`'s default
/// with Gaussian noise), DPS, Richardson-Lucy and Wiener (Scorpio.Astro.Baselines, `scorpio baseline`). Numbers: RMS error of each
/// reconstruction against the HST truth (also after convolving it with the HST PSF), residual chi^2/dof on the HSC
/// pixels, flux ratio, the posterior's variance ratio in the central aperture and its interval coverage of the truth.
/// </summary>
public sealed class DeconvolutionExperiment : IExperiment
{
    public string Name => "deconvolution";
    public string Title => "Deconvolution with a real ground truth: HSC deconvolved, compared with HST";

    private const int Band = 2;              // grizy: i
    private const int Pool = 2;              // model pixels per HSC pixel
    private const int ObsSize = GalaxyPrior.ImageSize / Pool;
    private const int ModelPsfSize = 31;     // HSC PSF on the model grid: +-15 model px = +-1.26" (at most the 32-px image)
    private const int HstPsfSize = 15;       // HST PSF on the model grid: +-0.6", its core and first ring
    /// <summary>DPS step sizes tried (2 samples each); 0.3 is the value earlier simulated tests used.</summary>
    private static readonly double[] ZetaScan = { 10, 3, 1, 0.3 };
    private const double ApertureRadius = 8; // model px (0.67"): the galaxy's core
    /// <summary>The posterior methods, whose samples get the variance ratio and the coverage.</summary>
    private static readonly string[] Posteriors = { "score", "mmps", "dps" };

    public JsonObject Run(ExperimentContext ctx)
    {
        using var prior = LoadedModel.Load(ctx, GalaxyPrior.Get(ctx));
        ctx.Step("reading the HSC and HST cutouts and their WCS");
        var (hscCube, hscHeader) = FitsFile.ReadWithHeader(ctx.Data("deconvolution/Cut_HSC.fits"));
        var (hstRaw, hstHeader) = FitsFile.ReadWithHeader(ctx.Data("deconvolution/Cut_HST.fits"));
        var hsc = hscCube.Plane(Band).Reshape(hscCube.Height, hscCube.Width);
        var hst = hstRaw.Reshape(hstRaw.Height, hstRaw.Width);
        var psfCube = FitsFile.Read(ctx.Data("deconvolution/PSF_HSC.fits"));
        var psfHsc = psfCube.Plane(Band).Reshape(psfCube.Height, psfCube.Width);
        var psfHstRaw = FitsFile.Read(ctx.Data("deconvolution/PSF_HST.fits"));
        var psfHst = psfHstRaw.Reshape(psfHstRaw.Height, psfHstRaw.Width);
        var hscWcs = TanWcs.FromHeader(hscHeader, "Cut_HSC.fits");
        var hstWcs = TanWcs.FromHeader(hstHeader, "Cut_HST.fits");

        // Backgrounds and noise from each image itself (sigma-clipped median and MAD), never from the other.
        var (hscBg, hscSigma) = StampMath.ClippedStats(hsc.Data);
        var (hstBg, hstSigma) = StampMath.ClippedStats(hst.Data);

        // The stamp: 16x16 HSC pixels around the brightest 3x3-smoothed pixel, at least 8 px from the edges.
        var (cx, cy) = BrightestSmoothed(hsc, ObsSize / 2);
        int x0 = cx - ObsSize / 2, y0 = cy - ObsSize / 2;
        var stamp = StampMath.Minus(StampMath.Crop(hsc, x0, y0, ObsSize, ObsSize), hscBg);

        // Model grid: 32x32 pixels of half an HSC pixel; model pixel (j, i) lies at HSC (x0 + (j + 0.5)/2 - 0.5, ...).
        double modelScale = hscWcs.ScaleArcsec / Pool;
        double areaRatio = Math.Pow(modelScale / hstWcs.ScaleArcsec, 2);
        (double, double) ModelToHst(double j, double i)
        {
            var (ra, dec) = hscWcs.PixelToWorld(x0 + (j + 0.5) / Pool - 0.5, y0 + (i + 0.5) / Pool - 0.5);
            return hstWcs.WorldToPixel(ra, dec);
        }
        var hstClean = StampMath.Minus(hst, hstBg);
        var truthHst = StampMath.ResampleFlux(hstClean, ModelToHst, GalaxyPrior.ImageSize, GalaxyPrior.ImageSize, areaRatio);
        var (hstCx, hstCy) = ModelToHst(GalaxyPrior.ImageSize / 2.0 - 0.5, GalaxyPrior.ImageSize / 2.0 - 0.5);
        // Centre offset of the two cutouts (their pixel centres through the WCS), arcsec: the data README says 0.13".
        var (raH, decH) = hscWcs.PixelToWorld((hsc.Width - 1) / 2.0, (hsc.Height - 1) / 2.0);
        var (raS, decS) = hstWcs.PixelToWorld((hst.Width - 1) / 2.0, (hst.Height - 1) / 2.0);
        double centreOffset = Math.Sqrt(Math.Pow((raH - raS) * Math.Cos(decH * Math.PI / 180), 2) + Math.Pow(decH - decS, 2)) * 3600;

        // The truth's own noise: the whole HST field resampled to model pixels, robust sigma.
        double ratio = modelScale / hstWcs.ScaleArcsec;
        int nField = (int)Math.Floor(hst.Width / ratio);
        var field = StampMath.ResampleFlux(hstClean, (j, i) => ((j + 0.5) * ratio - 0.5, (i + 0.5) * ratio - 0.5), nField, nField, areaRatio);
        double truthNoiseHst = StampMath.ClippedStats(field.Data).Sigma;

        // Forward operator on the model grid: the HSC PSF regridded to half-pixels (then 2x2 pooling in `scorpio posterior`).
        var psfModel = StampMath.RegridPsf(psfHsc, Pool, ModelPsfSize);
        var psfHstModel = StampMath.RegridPsf(psfHst, hstWcs.ScaleArcsec / modelScale, HstPsfSize);

        // Flux calibration HST -> HSC: least squares stamp = a * pool(psf * truth_HST) + c over the 256 HSC pixels.
        var predicted = StampMath.Forward(truthHst, psfModel, Pool);
        var (a, c, r2) = LinearFit(predicted.Data, stamp.Data);

        // Prior samples, drawn once: the flux reference below and the prior variance of both posteriors' variance ratios.
        int n = ctx.Pick(4, 24), priorN = ctx.Pick(4, 24), steps = ctx.Pick(20, 250), dpsSteps = ctx.Pick(10, 400), dpsN = ctx.Pick(2, 8);
        // mmps at its defaults (sampler, points, CG iterations); one score evaluation costs about 6 network passes.
        int mmpsSteps = ctx.Pick(5, MmpsPosteriorMethod.DefaultSteps), mmpsN = ctx.Pick(3, 16);
        ctx.Step("prior samples");
        int side = GalaxyPrior.ImageSize, pix = side * side;
        var priorStack = ctx.Sample(prior, "euler-maruyama", steps, "karras", priorN, ctx.Seed + 1).Reshape(priorN, 1, side, side);
        var priorSamples = new PosteriorSamples(priorStack);

        // Prior units: scale everything so the stamp's total flux (4 x its sum: average pooling) equals the median total
        // flux of the prior's galaxies.
        var fluxes = Enumerable.Range(0, priorN).Select(k => priorStack.Data.Skip(k * pix).Take(pix).Sum(v => (double)v)).OrderBy(v => v).ToArray();
        double referenceFlux = fluxes[fluxes.Length / 2];
        double stampFlux = Pool * Pool * stamp.Data.Sum(v => (double)v);
        double s = referenceFlux / stampFlux;

        var y = StampMath.Scaled(stamp, s);
        double sigma = hscSigma * s;
        var truth = StampMath.Scaled(truthHst, a * s);
        double truthNoise = truthNoiseHst * Math.Abs(a) * s;

        StampMath.WriteFits(Path.Combine(ctx.WorkDir, "hsc_i_stamp.fits"), y);
        StampMath.WriteFits(Path.Combine(ctx.WorkDir, "psf_hsc_i_model_grid.fits"), psfModel);
        StampMath.WriteFits(Path.Combine(ctx.WorkDir, "truth_hst_model_grid.fits"), truth);
        using var psfTensor = ScorpioCalls.PsfTensor(psfModel);
        ProblemSpec Problem() => ScorpioCalls.Exposure(y, "HSC i stamp", psfTensor, Pool, sigma);

        ctx.Step("score posterior (convolved Gaussian likelihood)");
        string scoreDir = Path.Combine(ctx.WorkDir, "posterior_score");
        var scorePosterior = ctx.Posterior(prior, Problem(), "score", new PosteriorSettings { Sampler = "euler-maruyama", Steps = steps }, n, ctx.Seed, scoreDir);
        ctx.Step("mmps posterior (moment-matching posterior sampling)");
        string mmpsDir = Path.Combine(ctx.WorkDir, "posterior_mmps");
        var mmpsPosterior = ctx.Posterior(prior, Problem(), "mmps", new PosteriorSettings { Steps = mmpsSteps }, mmpsN, ctx.Seed, mmpsDir);
        // DPS's step zeta' is diffusion4astro's (relative pixel weights: no sigma in it); 1 is its default for 256x256 images,
        // not for this stamp, so zeta is chosen from a short scan by the data alone: the value whose
        // median fits the HSC pixels with chi^2/dof closest to 1 (never by the truth).
        ctx.Step("DPS step-size scan");
        var scan = new JsonArray();
        double zeta = ZetaScan[0], bestScore = double.PositiveInfinity;
        foreach (double z in ZetaScan)
        {
            string zDir = Path.Combine(ctx.WorkDir, $"dps_scan_{z.ToString(CultureInfo.InvariantCulture)}");
            var run = ctx.Posterior(prior, Problem(), "dps", new PosteriorSettings { Zeta = z, Steps = dpsSteps }, ctx.Pick(2, 2), ctx.Seed, zDir);
            double chi = StampMath.D(run.Summary, "residual_chi2_per_dof");
            scan.Add(new JsonObject { ["zeta"] = z, ["chi2_per_dof"] = chi });
            double score = double.IsFinite(chi) && chi > 0 ? Math.Abs(Math.Log(chi)) : double.PositiveInfinity;
            if (score < bestScore) { bestScore = score; zeta = z; }
        }
        ctx.Step($"DPS posterior (zeta {zeta})");
        string dpsDir = Path.Combine(ctx.WorkDir, "posterior_dps");
        var dpsPosterior = ctx.Posterior(prior, Problem(), "dps", new PosteriorSettings { Zeta = zeta, Steps = dpsSteps }, dpsN, ctx.Seed, dpsDir);

        // Classical baselines on the model grid: the stamp replicated into 2x2 blocks (pool(replicate(y)) = y), deconvolved with
        // the model-grid PSF. Their one setting is scanned and the best against the truth kept (an oracle choice in their favour).
        ctx.Step("Richardson-Lucy and Wiener");
        var up = StampMath.Replicate(y, Pool);
        StampMath.WriteFits(Path.Combine(ctx.WorkDir, "hsc_i_stamp_replicated.fits"), up);
        var recon = new List<(string Key, string Label, ImageData Image, string Setting)>();
        foreach (int it in new[] { 10, 30, 100 })
            recon.Add(($"rl_{it}", $"Richardson-Lucy, {it} iterations", RichardsonLucy.Deconvolve(up, psfModel, new RichardsonLucyOptions { Iterations = it }), $"{it} iterations"));
        foreach (double nsr in new[] { 0.001, 0.01, 0.1 })
        {
            string tag = nsr.ToString(CultureInfo.InvariantCulture);
            recon.Add(($"wiener_{tag}", $"Wiener, NSR {tag}", WienerDeconvolution.Deconvolve(up, psfModel, nsr), $"NSR {tag}"));
        }
        var scoreMedian = StampMath.ReadPlane(scoreDir, "median.fits");
        var dpsMedian = StampMath.ReadPlane(dpsDir, "median.fits");
        var mmpsMedian = StampMath.ReadPlane(mmpsDir, "median.fits");
        recon.Add(("score", "score posterior median (Gaussian likelihood)", scoreMedian, $"euler-maruyama, {steps} steps, {n} samples"));
        recon.Add(("mmps", "mmps posterior median (moment matching)", mmpsMedian,
            $"{MmpsPosteriorMethod.DefaultSampler}, {mmpsSteps} steps, {MmpsPosteriorMethod.DefaultCgIterations} CG iterations, {mmpsN} samples"));
        recon.Add(("dps", $"DPS posterior median (zeta {zeta})", dpsMedian, $"{dpsSteps} steps, {dpsN} samples"));
        recon.Add(("observation", "HSC stamp, replicated (no deconvolution)", up, "-"));

        var methods = new JsonObject();
        foreach (var (key, label, image, setting) in recon)
        {
            var model = StampMath.Forward(image, psfModel, Pool);
            var entry = new JsonObject
            {
                ["label"] = label, ["setting"] = setting,
                ["rms_vs_truth"] = StampMath.Rms(image, truth),
                ["rms_vs_truth_hst_psf_matched"] = StampMath.Rms(StampMath.Convolve(image, psfHstModel), truth),
                ["chi2_per_dof"] = ResidualChiSquare.Compute(y, model.Data.Select(v => (double)v).ToArray(), sigma),
                ["flux_ratio"] = image.Data.Sum(v => (double)v) / truth.Data.Sum(v => (double)v),
            };
            if (Posteriors.Contains(key))
            {
                var (dir, result, count) = key switch { "score" => (scoreDir, scorePosterior, n), "mmps" => (mmpsDir, mmpsPosterior, mmpsN), _ => (dpsDir, dpsPosterior, dpsN) };
                var summary = result.Summary;
                var samples = new PosteriorSamples(FitsFile.Read(Path.Combine(dir, "samples.fits")).Reshape(count, 1, side, side));
                var cov = CredibleIntervalCoverage.Compute(samples, truth.Reshape(1, truth.Height, truth.Width), new[] { 0.68, 0.95 });
                entry["variance_ratio_aperture"] = VarianceRatio.Compute(samples, priorSamples, ApertureRadius);
                entry["summary_chi2_per_dof"] = summary["residual_chi2_per_dof"]?.DeepClone();
                entry["coverage_68"] = cov[0];
                entry["coverage_95"] = cov[1];
                entry["mean_std"] = StampMath.ReadPlane(dir, "std.fits").Data.Average(v => (double)v);
                entry["sampling_seconds"] = summary["timings_seconds"]?["posterior_sampling"]?.DeepClone();
            }
            methods[key] = entry;
        }
        string Best(string prefix) => recon.Where(r => r.Key.StartsWith(prefix)).OrderBy(r => StampMath.D(methods[r.Key], "rms_vs_truth")).First().Key;
        string bestRl = Best("rl_"), bestWiener = Best("wiener_");

        ctx.Step("figures");
        var images = recon.ToDictionary(r => r.Key, r => r.Image);
        Preview.SaveGrid(Path.Combine(ctx.FigureDir, "deconvolution.png"),
            StampMath.ForDisplay(new[] { truth, up, images[bestRl], images[bestWiener], scoreMedian, mmpsMedian, dpsMedian }),
            Stretch.Asinh(0.05), new[] { "HST truth", "HSC stamp", "RL", "Wiener", "posterior", "mmps", "DPS" }, columns: 7, sharedLimits: true);
        Preview.SaveGrid(Path.Combine(ctx.FigureDir, "uncertainty.png"),
            StampMath.ForDisplay(new[] { StampMath.ReadPlane(scoreDir, "std.fits"), StampMath.ReadPlane(mmpsDir, "std.fits"), StampMath.ReadPlane(dpsDir, "std.fits") }),
            Stretch.Linear(), new[] { "posterior std", "mmps std", "DPS std" }, columns: 3, cmap: null, sharedLimits: true);
        Preview.SaveGrid(Path.Combine(ctx.FigureDir, "errors.png"),
            StampMath.ForDisplay(new[] { Diff(scoreMedian, truth), Diff(mmpsMedian, truth), Diff(dpsMedian, truth), Diff(images[bestRl], truth), Diff(images[bestWiener], truth) }),
            Stretch.Symmetric(), new[] { "posterior-HST", "mmps-HST", "DPS-HST", "RL-HST", "Wiener-HST" }, columns: 5, sharedLimits: true);

        return new JsonObject
        {
            ["band"] = "i",
            ["hsc_pixel_arcsec"] = hscWcs.ScaleArcsec,
            ["hst_pixel_arcsec"] = hstWcs.ScaleArcsec,
            ["model_pixel_arcsec"] = modelScale,
            ["cutout_centre_offset_arcsec"] = centreOffset,
            ["stamp_origin_hsc_px"] = StampMath.Numbers(new double[] { x0, y0 }),
            ["stamp_centre_in_hst_px"] = StampMath.Numbers(new[] { hstCx, hstCy }),
            ["hsc_background"] = hscBg, ["hsc_noise_sigma"] = hscSigma,
            ["hst_background"] = hstBg, ["hst_noise_sigma"] = hstSigma,
            ["calibration_a"] = a, ["calibration_c"] = c, ["calibration_r2"] = r2,
            ["prior_reference_flux"] = referenceFlux, ["prior_samples"] = priorN,
            ["stamp_total_flux_hsc_units"] = stampFlux, ["prior_units_per_hsc_unit"] = s,
            ["sigma_prior_units"] = sigma,
            ["truth_noise_rms"] = truthNoise,
            ["truth_rms"] = StampMath.Rms(truth),
            ["psf_model_grid_px"] = ModelPsfSize, ["hst_psf_model_grid_px"] = HstPsfSize,
            ["aperture_radius_px"] = ApertureRadius,
            ["coverage_rule"] = "rank",
            ["zeta"] = zeta, ["dps_zeta_scan"] = scan,
            ["prior"] = Path.GetFileName(prior.Dir.TrimEnd('/')),
            ["best_rl"] = bestRl, ["best_wiener"] = bestWiener,
            ["methods"] = methods,
            ["figures"] = new JsonArray("deconvolution.png", "uncertainty.png", "errors.png"),
        };
    }

    public string Section(JsonObject envelope, string figureLink)
    {
        var r = envelope["results"]!.AsObject();
        var m = r["methods"]!.AsObject();
        double D(string k) => StampMath.D(r, k);
        string F(double v) => StampMath.F(v);
        var sb = new StringBuilder();
        sb.AppendLine($"**What was done.** The real Subaru HSC cutout (`deconvolution/Cut_HSC.fits`, band {r["band"]}, {F(D("hsc_pixel_arcsec"))}\"/px) " +
            $"and the HST cutout of the same field (`Cut_HST.fits`, {F(D("hst_pixel_arcsec"))}\"/px; the two cutouts' centres differ by {F(D("cutout_centre_offset_arcsec"))}\" through their WCS). " +
            $"Model grid: {GalaxyPrior.ImageSize}x{GalaxyPrior.ImageSize} pixels of {F(D("model_pixel_arcsec"))}\" (half an HSC pixel), the grid of the 32x32 galaxy prior (`models/{r["prior"]}`). " +
            $"Observation: the {ObsSize}x{ObsSize} HSC stamp around the brightest (3x3-smoothed) pixel, origin {r["stamp_origin_hsc_px"]!.ToJsonString()} (0-based HSC pixels), " +
            $"background = sigma-clipped median ({F(D("hsc_background"))}) subtracted, noise sigma = clipped 1.4826 MAD of the whole HSC i frame ({F(D("hsc_noise_sigma"))}). " +
            $"Forward operator: the HSC i PSF regridded to the model grid ({r["psf_model_grid_px"]}x{r["psf_model_grid_px"]}, bilinear, renormalised; the HSC PSF already holds the HSC pixel response and the pooling integrates over the HSC pixel again, so the operator blurs by one HSC pixel box too many: a percent-level width excess for a seeing-limited PSF) then 2x2 average pooling (`--psf ... --pool 2`). " +
            $"Truth: the background-subtracted HST image resampled onto the model grid through both WCS (4x4 sub-samples per model pixel, bilinear, times the pixel-area ratio: flux-conserving); " +
            $"its own noise on the model grid is {F(D("truth_noise_rms"))} rms (prior units), against a truth rms of {F(D("truth_rms"))}: the HST truth is noisy, so no method can score below that floor. ");
        sb.AppendLine();
        sb.AppendLine($"**Units.** HST to HSC: least squares `stamp = a pool(psf * truth_HST) + c` over the stamp's pixels gave a = {F(D("calibration_a"))}, c = {F(D("calibration_c"))} (R^2 = {F(D("calibration_r2"))}); " +
            $"only a is applied (to the truth; the observation is never touched by the truth). Prior units: everything is multiplied by {F(D("prior_units_per_hsc_unit"))} so that the stamp's total flux " +
            $"(4 x its sum, average pooling) equals the median total flux of {r["prior_samples"]} galaxies drawn from the prior (`scorpio sample --sampler euler-maruyama --grid karras`, the posterior's sampler and steps) ({F(D("prior_reference_flux"))}); sigma becomes {F(D("sigma_prior_units"))}.");
        sb.AppendLine();
        sb.AppendLine($"**Methods.** Score posterior: `scorpio posterior {(m["mmps"] is null ? "" : "--method score ")}--likelihood gaussian --sigma S --sampler euler-maruyama` ({m["score"]?["setting"]}). " +
            (m["mmps"] is null ? "" : $"mmps: `scorpio posterior --method mmps --sigma S --steps K` (moment-matching posterior sampling, Rozet et al. 2024, the command's default with Gaussian noise: " +
                $"the likelihood carries the denoiser's covariance, solved by conjugate gradient; {m["mmps"]!["setting"]}" + (m["mmps"]!["setting"]!.GetValue<string>().StartsWith("euler-maruyama", StringComparison.Ordinal)
                ? ": fewer points than its default 200 because each step costs about 6 score evaluations). " : ": its defaults). ")) +
            $"DPS: `--method dps --zeta Z` ({m["dps"]?["setting"]}). DPS's step is diffusion4astro's 2 zeta grad ||r|| (relative pixel weights, so independent of sigma); its default zeta = 1 was tuned on 256x256 images, not on this 16x16 stamp at this noise level, so " +
            $"zeta was chosen from a scan of 2-sample runs by the data alone (chi^2/dof closest to 1): {string.Join(", ", r["dps_zeta_scan"]!.AsArray().Select(e => $"zeta {F(StampMath.D(e, "zeta"))}: chi^2/dof {F(StampMath.D(e, "chi2_per_dof"))}"))}; chosen zeta = {F(D("zeta"))}. " +
            $"Richardson-Lucy (`scorpio baseline rl`) and Wiener (`scorpio baseline wiener`) deconvolve the stamp replicated into 2x2 blocks with the same model-grid PSF; " +
            $"their setting was scanned (RL 10/30/100 iterations, Wiener NSR 0.001/0.01/0.1) and the best against the HST truth kept: an oracle choice in their favour. " +
            $"Variance ratio: posterior over prior pixel variance (the same prior samples for both), mean within {F(D("aperture_radius_px"))} model px of the centre. Coverage: fraction of truth pixels inside the posterior's central 68%/95% intervals" +
            (r["coverage_rule"] is null ? " (the truth" : ", from the truth's rank among the samples (68% / 95% for a calibrated posterior whatever the sample count; the truth") +
            " carries HST noise and the HST PSF, so this is only indicative).");
        sb.AppendLine();
        sb.AppendLine("| method | setting | RMS vs HST truth | RMS after HST-PSF matching | chi^2/dof (HSC pixels) | flux ratio | variance ratio | 68% / 95% coverage |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (key, node) in m)
        {
            var e = node!.AsObject();
            string vr = e.ContainsKey("variance_ratio_aperture") ? F(StampMath.D(e, "variance_ratio_aperture")) : "-";
            string cov = e.ContainsKey("coverage_68") ? $"{F(StampMath.D(e, "coverage_68"))} / {F(StampMath.D(e, "coverage_95"))}" : "-";
            string name = key == r["best_rl"]?.ToString() || key == r["best_wiener"]?.ToString() ? $"**{e["label"]}** (best)" : e["label"]!.ToString();
            sb.AppendLine($"| {name} | {e["setting"]} | {F(StampMath.D(e, "rms_vs_truth"))} | {F(StampMath.D(e, "rms_vs_truth_hst_psf_matched"))} | {F(StampMath.D(e, "chi2_per_dof"))} | {F(StampMath.D(e, "flux_ratio"))} | {vr} | {cov} |");
        }
        sb.AppendLine();
        sb.AppendLine($"![deconvolution]({figureLink}/deconvolution.png)");
        sb.AppendLine();
        sb.AppendLine($"![errors]({figureLink}/errors.png) ![uncertainty]({figureLink}/uncertainty.png)");
        sb.AppendLine();
        // Results written before mmps was added read as they did (docs/RESULTS.md stays in sync until they are re-run).
        sb.AppendLine(m["mmps"] is null
            ? "Top: HST truth, HSC stamp, best RL, best Wiener, posterior median, DPS median (one asinh stretch, the truth's). Below: errors against the HST truth (one symmetric stretch), posterior and DPS standard deviations."
            : "Top: HST truth, HSC stamp, best RL, best Wiener, score posterior median, mmps median, DPS median (one asinh stretch, the truth's). Below: errors against the HST truth (one symmetric stretch), score posterior, mmps and DPS standard deviations.");
        sb.AppendLine();
        sb.AppendLine("**Reading.** " + Reading(r, m));
        sb.AppendLine();
        sb.AppendLine("**Scale-down.** The papers deconvolve 256x256 HSC cutouts with priors trained on TNG (DPS paper) or HST data (SLIC paper) on GPUs, and show this comparison as figures without a number; " +
            "here one 16x16 HSC stamp is deconvolved with a small 32x32 prior trained on this project's simulated galaxies, on a CPU. The prior has never seen a real galaxy, so this is a test of how far a simulation-trained prior transfers.");
        return sb.ToString();
    }

    /// <summary>The honest reading, chosen by comparing the numbers (never typed in).</summary>
    private static string Reading(JsonObject r, JsonObject m)
    {
        string bestRl = r["best_rl"]!.ToString(), bestW = r["best_wiener"]!.ToString();
        bool hasMmps = m["mmps"] is not null;
        var cands = (hasMmps ? new[] { "score", "mmps", "dps", bestRl, bestW, "observation" } : new[] { "score", "dps", bestRl, bestW, "observation" });
        string Lbl(string k) => m[k]!["label"]!.ToString();
        double Rms(string k, string field = "rms_vs_truth") => StampMath.D(m[k], field);
        string best = cands.OrderBy(k => Rms(k)).First();
        string bestMatched = cands.OrderBy(k => Rms(k, "rms_vs_truth_hst_psf_matched")).First();
        var sb = new StringBuilder();
        sb.Append($"By RMS against the HST truth the best reconstruction is the {Lbl(best)} ({StampMath.F(Rms(best))}); after HST-PSF matching, the {Lbl(bestMatched)} ({StampMath.F(Rms(bestMatched, "rms_vs_truth_hst_psf_matched"))}). ");
        bool classicalWins = best == bestRl || best == bestW;
        if (classicalWins) sb.Append("**A classical baseline beats Scorpio's posterior median on this stamp.** ");
        else if (Rms("score") > Rms(bestRl) || Rms("score") > Rms(bestW)) sb.Append("**The score posterior median loses to a classical baseline on this stamp.** ");
        if (Rms("dps") > Rms(bestRl) || Rms("dps") > Rms(bestW)) sb.Append("**DPS loses to a classical baseline on this stamp.** ");
        double chiScore = StampMath.D(m["score"], "chi2_per_dof"), chiDps = StampMath.D(m["dps"], "chi2_per_dof");
        sb.Append($"The posterior median fits the HSC pixels to chi^2/dof = {StampMath.F(chiScore)}" + (chiScore > 2 ? " (a misfit: the prior cannot reproduce this real galaxy within the noise)" : chiScore < 0.5 ? " (over-fitting the noise)" : "") +
                  $", DPS to {StampMath.F(chiDps)}" + (chiDps > 2 ? " (a misfit)" : "") + ". ");
        double chiRl = StampMath.D(m[bestRl], "chi2_per_dof");
        if (Math.Abs(Math.Log(chiRl)) < Math.Abs(Math.Log(chiScore)))
            sb.Append($"The best Richardson-Lucy fits the HSC pixels better ({StampMath.F(chiRl)}): it is free to put any flux anywhere, while the prior insists on galaxies like its training set. ");
        double floor = StampMath.D(r, "truth_noise_rms");
        double lowest = cands.Min(k => Rms(k));
        sb.Append(lowest > floor
            ? $"Every error is above the truth's own noise ({StampMath.F(floor)} rms), but that noise is part of each number: differences smaller than it mean little. "
            : $"The best error is at the truth's own noise level ({StampMath.F(floor)} rms): this truth cannot separate methods further. ");
        double vr = StampMath.D(m["score"], "variance_ratio_aperture"), vrD = StampMath.D(m["dps"], "variance_ratio_aperture");
        sb.Append($"The variance ratio in the core is {StampMath.F(vr)} (score) and {StampMath.F(vrD)} (DPS): " +
                  (vr < 0.3 ? "the data dominate the score posterior's core" : "the prior still contributes much of the score posterior's core") +
                  (vrD > 1 ? ", while DPS's samples scatter more than the prior's: they have not converged to the data. " : ". "));
        double c68 = StampMath.D(m["score"], "coverage_68");
        if (double.IsFinite(c68)) sb.Append($"The score posterior's 68% intervals hold {StampMath.F(c68)} of the noisy truth's pixels" + (c68 < 0.5 ? ": its error bars are too narrow for this real galaxy." : "."));
        if (hasMmps) sb.Append(" " + MmpsReading(m, bestRl, bestW));
        return sb.ToString();
    }

    /// <summary>mmps against the score posterior and the baselines, every verdict from the numbers.</summary>
    private static string MmpsReading(JsonObject m, string bestRl, string bestW)
    {
        string F(double v) => StampMath.F(v);
        double D(string k, string field) => StampMath.D(m[k], field);
        double rM = D("mmps", "rms_vs_truth"), rS = D("score", "rms_vs_truth"), rB = Math.Min(D(bestRl, "rms_vs_truth"), D(bestW, "rms_vs_truth"));
        double cM = D("mmps", "chi2_per_dof"), cS = D("score", "chi2_per_dof");
        double vM = D("mmps", "variance_ratio_aperture"), vS = D("score", "variance_ratio_aperture");
        double k68 = D("mmps", "coverage_68"), k95 = D("mmps", "coverage_95"), s68 = D("score", "coverage_68"), s95 = D("score", "coverage_95");
        var sb = new StringBuilder();
        sb.Append($"**mmps {(rM < rS ? "beats" : "loses to")} the score posterior by RMS against the HST truth** ({F(rM)} against {F(rS)}) " +
                  $"and {(rM < rB ? "beats" : "loses to")} the best classical baseline ({F(rB)}). ");
        sb.Append($"Its median fits the HSC pixels to chi^2/dof = {F(cM)}, {(Math.Abs(Math.Log(cM)) < Math.Abs(Math.Log(cS)) ? "closer to 1 than" : "farther from 1 than")} the score posterior's {F(cS)}" +
                  (cM > 2 ? " (a misfit)" : cM < 0.5 ? " (over-fitting the noise)" : "") + ". ");
        sb.Append($"Its core variance ratio is {F(vM)} (score: {F(vS)}); its 68% / 95% intervals hold {F(k68)} / {F(k95)} of the noisy truth's pixels (score: {F(s68)} / {F(s95)}), " +
                  (Math.Abs(k68 - 0.68) + Math.Abs(k95 - 0.95) < Math.Abs(s68 - 0.68) + Math.Abs(s95 - 0.95) ? "nearer the nominal levels than the score posterior's." : "no nearer the nominal levels than the score posterior's."));
        return sb.ToString();
    }

    private static ImageData Diff(ImageData a, ImageData b) => new(a.Data.Zip(b.Data, (u, v) => u - v).ToArray(), a.Shape);

    /// <summary>The brightest pixel of the 3x3-box-smoothed image at least <paramref name="margin"/> px from the edges.</summary>
    private static (int X, int Y) BrightestSmoothed(ImageData im, int margin)
    {
        double best = double.NegativeInfinity;
        (int, int) at = (im.Width / 2, im.Height / 2);
        for (int y = margin; y <= im.Height - margin; y++)
            for (int x = margin; x <= im.Width - margin; x++)
            {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int yy = Math.Clamp(y + dy, 0, im.Height - 1), xx = Math.Clamp(x + dx, 0, im.Width - 1);
                        s += im.Data[yy * im.Width + xx];
                    }
                if (s > best) { best = s; at = (x, y); }
            }
        return at;
    }

    /// <summary>Least squares y = a x + c; returns a, c and R^2.</summary>
    private static (double A, double C, double R2) LinearFit(float[] x, float[] y)
    {
        int n = x.Length;
        double mx = x.Average(v => (double)v), my = y.Average(v => (double)v), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) { double dx = x[i] - mx, dy = y[i] - my; sxx += dx * dx; sxy += dx * dy; syy += dy * dy; }
        double a = sxy / sxx;
        return (a, my - a * mx, sxy * sxy / (sxx * syy));
    }

    /// <inheritdoc />
    public string Headline(JsonObject r)
    {
        double score = JsonPath.Number(r, "methods.score.rms_vs_truth"), dps = JsonPath.Number(r, "methods.dps.rms_vs_truth");
        string rl = r["best_rl"]?.GetValue<string>() ?? "", wiener = r["best_wiener"]?.GetValue<string>() ?? "";
        // Method keys hold dots ("wiener_0.01"), so they are looked up directly rather than by dotted path.
        double rlRms = JsonPath.Number(r["methods"]?[rl], "rms_vs_truth"), wRms = JsonPath.Number(r["methods"]?[wiener], "rms_vs_truth");
        double baseline = Math.Min(rlRms, wRms);
        return $"RMS vs HST: score posterior {JsonPath.Format(score)}, DPS {JsonPath.Format(dps)}, best RL {JsonPath.Format(rlRms)}, best Wiener {JsonPath.Format(wRms)}: " +
               $"the score posterior {(score < baseline ? "beats" : "loses to")} the best baseline by {JsonPath.Format(Math.Abs(score - baseline))} " +
               $"(the HST truth's own noise: {JsonPath.Format(JsonPath.Number(r, "truth_noise_rms"))} rms); DPS {(dps < baseline ? "beats" : "loses to")} it" +
               (r["methods"]?["mmps"] is null ? "" : $"; mmps ({JsonPath.Format(JsonPath.Number(r, "methods.mmps.rms_vs_truth"))}) {(JsonPath.Number(r, "methods.mmps.rms_vs_truth") < baseline ? "beats" : "loses to")} it");
    }
}
