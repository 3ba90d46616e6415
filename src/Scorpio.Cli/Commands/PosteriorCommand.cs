using System.CommandLine;
using System.Globalization;
using Scorpio.Astro;
using Scorpio.Catalogues;
using Scorpio.Likelihoods;
using Scorpio.Models;
using Scorpio.Posterior;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio posterior`: posterior samples of x given y = A x + noise. The flags describe one exposure, or --problem FILE
/// several (a JSON problem file: docs/posterior-with-psf.md); the library builds the <see cref="InverseProblem"/> once and
/// runs a registered method (<see cref="PosteriorMethods"/>). This file only maps flags to settings.
/// </summary>
internal static class PosteriorCommand
{
    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "Prior run folder (scorpio train).", Required = true };
        var problem = new Option<string?>("--problem") { Description = "JSON problem file: several exposures of one scene (each with its own obs, psf, pool, shift or warp, sigma), inferred jointly; replaces the exposure flags. See docs/posterior-with-psf.md." };
        var obs = new Option<string?>("--obs") { Description = "Observation FITS (its header and WCS are copied to the outputs). NaNs are masked." };
        var psf = new Option<string?>("--psf") { Description = "PSF FITS, (H, W) or one plane per band; normalised to sum 1, centre at (H/2, W/2)." };
        var psfSuper = new Option<int?>("--psf-supersample") { Description = "The PSF is sampled this many times finer than the observed pixels (HST library: 4); default: the model grid (= --pool). A finer PSF is binned to the model grid." };
        var psfModel = new Option<string?>("--psf-model") { Description = "Analytic PSF instead of --psf: gaussian, moffat or airy (with --psf-fwhm, model-grid pixels)." };
        var psfFwhm = new Option<double?>("--psf-fwhm") { Description = "FWHM of --psf-model in model-grid pixels." };
        var pool = new Option<int>("--pool") { Description = "Average pooling from the prior's grid to the observed grid.", DefaultValueFactory = _ => 1 };
        var scale = new Option<double?>("--scale") { Description = "Resampling factor applied before the PSF (pixel-scale or redshift matching)." };
        var shift = new Option<string?>("--shift") { Description = "Sub-pixel shift DX,DY of the exposure relative to the model grid, in model pixels (bilinear)." };
        var warp = new Option<string?>("--warp") { Description = "Coordinate-map FITS (2, H, W): model x then y of every warped pixel, e.g. from the exposure's WCS (bilinear)." };
        var mask = new Option<string?>("--mask") { Description = "Bad-pixel mask FITS on the observed grid: non-zero = pixel not used (NaNs in --obs are masked too)." };
        var likelihood = new Option<string>("--likelihood") { Description = "gaussian (with --sigma or --sigma-map) or slic (with --noise-model).", DefaultValueFactory = _ => "gaussian" };
        var sigma = new Option<double?>("--sigma") { Description = "Gaussian noise sigma, observation units." };
        var sigmaMap = new Option<string?>("--sigma-map") { Description = "Per-pixel noise sigma FITS on the observed grid, (H, W) or (C, H, W)." };
        var noiseModel = new Option<string?>("--noise-model") { Description = "Noise-model run folder (scorpio train-noise): learned likelihood (SLIC)." };
        var method = new Option<string?>("--method") { Description = "Posterior method: " + string.Join("; ", PosteriorMethods.All.Select(m => $"{m.Name} ({m.Description})")) + $". Default: {PosteriorMethods.Default} with Gaussian noise, {PosteriorMethods.DefaultFor(learnedNoise: true)} with a learned noise model (SLIC)." };
        var sampler = new Option<string?>("--sampler") { Description = $"Sampler for --method score or mmps (see scorpio sample --help; default: euler-maruyama for score, {MmpsPosteriorMethod.DefaultSampler} for mmps)." };
        var steps = new Option<int?>("--steps") { Description = $"Sampler time steps (default: the sampler's for score; {MmpsPosteriorMethod.DefaultSteps} for mmps; DPS 1000; pnp-dm: points of the Karras grid whose part below rho each prior step runs, 30)." };
        var grid = new Option<string?>("--grid") { Description = "Time grid: uniform, karras or log-sigma (default: karras for score and mmps, as posteriors are sharper than the prior; uniform for dps, karras with an EDM prior)." };
        var anneal = new Option<bool>("--anneal-residuals") { Description = "SLIC: add sigma(t) z to the residuals (score_models' anneal_residuals)." };
        var covariance = new Option<string>("--covariance") { Description = "Gaussian likelihood: how M(t) = mu^2 Sigma + sigma^2 A A^T is inverted: auto (dense up to 1024 observed pixels, else cg), dense, cg, fourier, diagonal.", DefaultValueFactory = _ => "auto" };
        var cgIters = new Option<int?>("--cg-iters") { Description = $"mmps: conjugate-gradient iterations per score evaluation, each one vector-Jacobian product of the prior (default {MmpsPosteriorMethod.DefaultCgIterations}: on a Gaussian prior fitted to simulated galaxies 2 left the data under-fit, chi2/dof of y 1.18 instead of 1, 4 gave 1.04, 8 1.03; strongly correlated priors may want more)." };
        var zeta = new Option<double>("--zeta") { Description = "DPS step size zeta (scaled by 1/residual norm, as diffusion4astro).", DefaultValueFactory = _ => DpsSampler.DefaultZeta };
        var rhoStart = new Option<double>("--rho-start") { Description = "pnp-dm: initial coupling rho (normalised units; Wu et al. 2024: 10), annealed by --rho-decay per iteration.", DefaultValueFactory = _ => new PnpDmSettings().RhoStart };
        var rhoMin = new Option<double?>("--rho-min") { Description = "pnp-dm: final coupling rho (default: automatic, widening the noise of the best-measured direction by 2% in variance; at least 1.5 times the prior SDE's smallest noise level). Smaller is more exact and mixes slower." };
        var rhoDecay = new Option<double>("--rho-decay") { Description = "pnp-dm: per-iteration factor of the exponential rho annealing.", DefaultValueFactory = _ => new PnpDmSettings().RhoDecay };
        var finalIterations = new Option<int>("--final-iterations") { Description = "pnp-dm: Gibbs iterations at --rho-min after the annealing (summary.json reports their effective sample size).", DefaultValueFactory = _ => new PnpDmSettings().FinalIterations };
        var n = new Option<int>("--n") { Description = "Number of posterior samples.", DefaultValueFactory = _ => 16 };
        var priorN = new Option<int>("--prior-samples") { Description = "Prior samples for the variance-ratio map (0 = skip).", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch") { Description = "Samples drawn at once (memory); the samples do not depend on it (sample k draws from generators seeded by --seed and k)." };
        var aperture = new Option<double>("--aperture") { Description = "Radius (prior pixels) of the central aperture for the mean variance ratio.", DefaultValueFactory = _ => 30 };
        var output = new Option<string>("--out") { Description = "Output folder: samples, mean, median, std, p16/p84/p15/p85, residual, variance_ratio (FITS), summary.json, preview.png, figure.png and report.html (the products with colour bars and an interactive viewer); with --catalogue: one folder per object, objects/NNNNNN/, without the report.", Required = true };
        var catalogue = CatalogueOptions.Catalogue("--obs (the exposure flags apply to every object; --mask is then one mask per object)");
        var shard = CatalogueOptions.Shard();
        var cmd = new Command("posterior", "Posterior samples for y = A x + noise: A from --scale, --shift/--warp, --psf, --pool, --mask (or several exposures from --problem FILE); " +
            "Gaussian or learned SLIC likelihood; methods mmps (default: calibrated), score, dps or pnp-dm (--method).")
        {
            prior, problem, obs, psf, psfSuper, psfModel, psfFwhm, pool, scale, shift, warp, mask, likelihood, sigma, sigmaMap, noiseModel, method, sampler, steps, grid, cgIters, anneal, covariance, zeta, rhoStart, rhoMin, rhoDecay, finalIterations, n, priorN, batch, aperture, output, catalogue, shard,
        };
        // Library settings not spelled as their kebab-case flag (the rest map by name: sigmaMap -> --sigma-map, ...).
        cmd.MapParameters(("obs", obs), ("cgIterations", cgIters), ("count", n), ("priorCount", priorN), ("batchSize", batch), ("apertureRadius", aperture));
        cmd.SetAction(pr =>
        {
            var settings = new PosteriorSettings
            {
                Sampler = pr.GetValue(sampler), Steps = pr.GetValue(steps), Grid = pr.GetValue(grid), Zeta = pr.GetValue(zeta), CgIterations = pr.GetValue(cgIters),
                PnpDm = new PnpDmSettings { RhoStart = pr.GetValue(rhoStart), RhoMin = pr.GetValue(rhoMin), RhoDecay = pr.GetValue(rhoDecay), FinalIterations = pr.GetValue(finalIterations) },
            };
            string? cataloguePath = pr.GetValue(catalogue);
            if (cataloguePath is not null && pr.GetValue(problem) is not null)
                throw new UserInputException("--catalogue gives one observation per object for the exposure described by the flags; --problem (several exposures) cannot be combined with it");
            var spec = Problem(pr, problem, obs, psf, psfSuper, psfModel, psfFwhm, pool, scale, shift, warp, mask, likelihood, sigma, sigmaMap, noiseModel, anneal, covariance, cataloguePath is not null);
            string methodName = pr.GetValue(method) ?? PosteriorMethods.DefaultFor(learnedNoise: spec.NoiseModelPath is not null);
            // Checked before the prior loads, so a typo costs no model load and names its flag.
            PosteriorPipeline.CheckSettings(methodName, settings, pr.GetValue(n), pr.GetValue(priorN), pr.GetValue(batch), pr.GetValue(aperture));
            InverseProblemBuilder.Check(spec);
            // A catalogue run folder is re-entered on purpose (finished objects are skipped; catalogue.json refuses other settings).
            if (cataloguePath is null)
                OutputGuard.Folder(pr, "--out", pr.GetValue(output), PosteriorWriter.Products, spec.Exposures.SelectMany(e =>
                    new[] { ("obs", e.ObservationPath), ("mask", e.MaskPath), ("psf", e.PsfPath), ("warp", e.WarpPath), ("sigmaMap", e.SigmaMapPath) })
                    .Where(i => i.Item2 is not null).Select(i => ($"{spec.Source ?? "the exposure"} {i.Item1}", i.Item2!)));
            if (spec.Source is null && spec.NoiseModelPath is null && pr.GetValue(sigma) is null && pr.GetValue(sigmaMap) is null)
                throw new UserInputException("the likelihood needs the noise: give --sigma S (white Gaussian), --sigma-map FILE (per-pixel sigma) or --noise-model RUN (SLIC)");

            var device = CliContext.Device(pr);
            using var model = ScoreModel.Load(pr.GetValue(prior)!, device);
            var priorModel = PriorModel.From(model, pr.GetValue(prior)!);
            Action<string> notice = m => Console.Error.WriteLine(m.StartsWith("warning") ? m : "notice: " + m);
            PosteriorRequest Request(InverseProblem built, long seed, string outDir) => new()
            {
                Problem = built, Method = methodName, Settings = settings,
                Count = pr.GetValue(n), PriorCount = pr.GetValue(priorN), BatchSize = pr.GetValue(batch),
                Seed = seed, ApertureRadius = pr.GetValue(aperture), Device = device, OutDir = outDir,
            };
            if (cataloguePath is not null)
            {
                var job = new CatalogueJob
                {
                    Command = "posterior", OutDir = pr.GetValue(output)!, Catalogue = Catalogue.Open(cataloguePath),
                    Masks = pr.GetValue(mask) is { } masks ? Catalogue.Open(masks) : null,
                    Shard = CatalogueOptions.ResolveShard(pr, shard), Seed = CliContext.Seed(pr), Settings = CatalogueOptions.Settings(pr),
                };
                var report = job.Run(o =>
                {
                    using var one = InverseProblemBuilder.Build(spec.ForObservation(o.Observation!), priorModel, device, notice);
                    PosteriorPipeline.Run(Request(one, o.Seed, o.OutDir));
                }, m => Console.Error.WriteLine(m));
                return CatalogueOptions.Report(report, job.OutDir);
            }
            using var built = InverseProblemBuilder.Build(spec, priorModel, device, notice);
            var result = PosteriorPipeline.Run(Request(built, CliContext.Seed(pr), pr.GetValue(output)!), m => Console.Error.WriteLine(m));
            var first = spec.Exposures[0];
            var observation = first.ObservationPath is { } op && File.Exists(op) ? Scorpio.Astro.Fits.FitsFile.Read(op) : null;
            string page = Scorpio.Metrics.Reporting.PosteriorReport.Write(result.OutDir, observation,
                description: spec.Exposures.Count > 1 ? $"{spec.Exposures.Count} exposures inferred jointly; the first is shown." : null);
            Console.WriteLine($"wrote {result.Files.Count + 2} files to {result.OutDir} (open {page} in a browser)");
            return 0;
        });
        return cmd;
    }

    /// <summary>The problem from --problem, or one exposure from the flags (never both).</summary>
    private static ProblemSpec Problem(ParseResult pr, Option<string?> problem, Option<string?> obs, Option<string?> psf, Option<int?> psfSuper,
        Option<string?> psfModel, Option<double?> psfFwhm, Option<int> pool, Option<double?> scale, Option<string?> shift, Option<string?> warp,
        Option<string?> mask, Option<string> likelihood, Option<double?> sigma, Option<string?> sigmaMap, Option<string?> noiseModel,
        Option<bool> anneal, Option<string> covariance, bool catalogue = false)
    {
        if (pr.GetValue(problem) is { } file)
        {
            var given = new Option[] { obs, psf, psfSuper, psfModel, psfFwhm, pool, scale, shift, warp, mask, sigma, sigmaMap, noiseModel, anneal, covariance, likelihood }
                .Where(o => pr.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (given.Count > 0)
                throw new UserInputException($"--problem {file} describes the exposures, their noise and likelihood; remove {string.Join(", ", given)} (or put them in the file)");
            return ProblemFile.Read(file);
        }
        if (catalogue && pr.GetValue(obs) is not null) throw new UserInputException("give --obs (one observation) or --catalogue (many), not both");
        string? obsPath = catalogue ? null : pr.GetValue(obs) ?? throw new UserInputException("give the observation with --obs FILE (one exposure), --problem FILE (several) or --catalogue FILE (many objects)");
        string? noisePath = pr.GetValue(noiseModel);
        string kind = noisePath is not null ? "slic" : pr.GetValue(likelihood)!;
        if (kind is not ("gaussian" or "slic")) throw new UserInputException($"--likelihood '{kind}' is not known: use gaussian or slic");
        if (kind == "slic" && noisePath is null) throw new UserInputException("--likelihood slic needs --noise-model RUN (a run folder made by scorpio train-noise)");
        return new ProblemSpec
        {
            Exposures =
            [
                new ExposureSpec
                {
                    ObservationPath = obsPath, MaskPath = catalogue ? null : pr.GetValue(mask),
                    PsfPath = pr.GetValue(psf), PsfModel = pr.GetValue(psfModel), PsfFwhm = pr.GetValue(psfFwhm), PsfSupersample = pr.GetValue(psfSuper),
                    Pool = pr.GetValue(pool), Scale = pr.GetValue(scale), Shift = ParseShift(pr.GetValue(shift)), WarpPath = pr.GetValue(warp),
                    Sigma = pr.GetValue(sigma), SigmaMapPath = pr.GetValue(sigmaMap),
                },
            ],
            NoiseModelPath = noisePath,
            Form = CovarianceForms.Parse(pr.GetValue(covariance)!),
            Residual = pr.GetValue(anneal) ? SlicResidual.Annealed : SlicResidual.Exact,
        };
    }

    private static (double, double)? ParseShift(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double dx)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double dy))
            return (dx, dy);
        throw new UserInputException($"--shift '{text}': give DX,DY in model pixels, e.g. --shift 0.5,-0.25");
    }
}
