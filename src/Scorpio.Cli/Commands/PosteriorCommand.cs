using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Data;
using Scorpio.Likelihoods;
using Scorpio.NoiseModels;
using Scorpio.Posterior;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>`scorpio posterior`: posterior samples of x given y = A x + noise (Gaussian or learned likelihood, score or DPS).</summary>
internal static class PosteriorCommand
{
    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "Prior run folder (scorpio train).", Required = true };
        var obs = new Option<string>("--obs") { Description = "Observation FITS (its header and WCS are copied to the outputs). NaNs are masked.", Required = true };
        var psf = new Option<string?>("--psf") { Description = "PSF FITS, (H, W) or one plane per band; normalised to sum 1, centre at (H/2, W/2)." };
        var psfSuper = new Option<int?>("--psf-supersample") { Description = "The PSF is sampled this many times finer than the observed pixels (HST library: 4); default: the model grid (= --pool). A finer PSF is binned to the model grid." };
        var psfModel = new Option<string?>("--psf-model") { Description = "Analytic PSF instead of --psf: gaussian, moffat or airy (with --psf-fwhm, model-grid pixels)." };
        var psfFwhm = new Option<double?>("--psf-fwhm") { Description = "FWHM of --psf-model in model-grid pixels." };
        var pool = new Option<int>("--pool") { Description = "Average pooling from the prior's grid to the observed grid.", DefaultValueFactory = _ => 1 };
        var scale = new Option<double?>("--scale") { Description = "Resampling factor applied before the PSF (pixel-scale or redshift matching)." };
        var mask = new Option<string?>("--mask") { Description = "Bad-pixel mask FITS on the observed grid: non-zero = pixel not used (NaNs in --obs are masked too)." };
        var likelihood = new Option<string>("--likelihood") { Description = "gaussian (with --sigma or --sigma-map) or slic (with --noise-model).", DefaultValueFactory = _ => "gaussian" };
        var sigma = new Option<double?>("--sigma") { Description = "Gaussian noise sigma, observation units." };
        var sigmaMap = new Option<string?>("--sigma-map") { Description = "Per-pixel noise sigma FITS on the observed grid." };
        var noiseModel = new Option<string?>("--noise-model") { Description = "Noise-model run folder (scorpio train-noise): learned likelihood (SLIC)." };
        var method = new Option<string>("--method") { Description = "score (posterior score in a sampler) or dps (diffusion posterior sampling).", DefaultValueFactory = _ => "score" };
        var sampler = new Option<string>("--sampler") { Description = "Sampler for --method score (see scorpio sample --help).", DefaultValueFactory = _ => "euler-maruyama" };
        var steps = new Option<int?>("--steps") { Description = "Sampler time steps (default: the sampler's; DPS 1000)." };
        var grid = new Option<string?>("--grid") { Description = "Time grid: uniform, karras or log-sigma (default: karras for --method score, as posteriors are sharper than the prior; uniform for dps)." };
        var anneal = new Option<bool>("--anneal-residuals") { Description = "SLIC: add sigma(t) z to the residuals (score_models' anneal_residuals)." };
        var covariance = new Option<string>("--covariance") { Description = "Gaussian likelihood: how M(t) = mu^2 Sigma + sigma^2 A A^T is inverted: auto (dense up to 1024 observed pixels, else cg), dense, cg, fourier, diagonal.", DefaultValueFactory = _ => "auto" };
        var zeta = new Option<double>("--zeta") { Description = "DPS step size zeta (scaled by 1/residual norm, as diffusion4astro).", DefaultValueFactory = _ => DpsSampler.DefaultZeta };
        var n = new Option<int>("--n") { Description = "Number of posterior samples.", DefaultValueFactory = _ => 16 };
        var priorN = new Option<int>("--prior-samples") { Description = "Prior samples for the variance-ratio map (0 = skip).", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch") { Description = "Samples drawn at once (memory)." };
        var aperture = new Option<double>("--aperture") { Description = "Radius (prior pixels) of the central aperture for the mean variance ratio.", DefaultValueFactory = _ => 30 };
        var output = new Option<string>("--out") { Description = "Output folder: samples, mean, median, std, p16/p84/p15/p85, residual, variance_ratio (FITS), summary.json, preview.png.", Required = true };
        var cmd = new Command("posterior", "Posterior samples for y = A x + noise: A from --scale, --psf, --pool, --mask; Gaussian (convolved) or learned SLIC likelihood; score method or DPS.")
        {
            prior, obs, psf, psfSuper, psfModel, psfFwhm, pool, scale, mask, likelihood, sigma, sigmaMap, noiseModel, method, sampler, steps, grid, anneal, covariance, zeta, n, priorN, batch, aperture, output,
        };
        cmd.SetAction(pr =>
        {
            // Checked before the prior loads, so a typo costs no model load and names its flag.
            if (!(pr.GetValue(zeta) >= 0)) throw new UserInputException($"--zeta must be >= 0 (got {pr.GetValue(zeta)}); the default {DpsSampler.DefaultZeta} suits 256x256 images, 0.3 small stamps");
            if (pr.GetValue(scale) is { } sc && !(sc > 0)) throw new UserInputException($"--scale must be a positive resampling factor (got {sc}); e.g. 0.5 halves the image before the PSF");
            if (pr.GetValue(batch) is { } b) CommandInputs.Positive(b, "--batch");
            if (pr.GetValue(priorN) < 0) throw new UserInputException($"--prior-samples must be >= 0 (got {pr.GetValue(priorN)}; 0 skips the variance-ratio map)");
            if (!(pr.GetValue(aperture) > 0)) throw new UserInputException($"--aperture must be a positive radius in prior pixels (got {pr.GetValue(aperture)})");
            var device = CliContext.Device(pr);
            using var model = ScoreModel.Load(pr.GetValue(prior)!, device);
            var priorModel = PriorModel.From(model, pr.GetValue(prior)!);
            using var observation = ObservationInput.Load(pr.GetValue(obs)!, pr.GetValue(mask), m => Console.Error.WriteLine("notice: " + m));
            if (pr.GetValue(psf) is not null && pr.GetValue(psfModel) is not null) throw new UserInputException("give either --psf FILE or --psf-model, not both");
            using var psfTensor = pr.GetValue(psf) is { } psfPath ? ImageInputs.ReadPsf(psfPath, "psf")
                : pr.GetValue(psfModel) is { } modelName ? ModelPsf(modelName, pr.GetValue(psfFwhm)) : null;
            string? psfSource = pr.GetValue(psf) ?? (pr.GetValue(psfModel) is { } pm ? $"{pm}, FWHM {pr.GetValue(psfFwhm)} px" : null);
            // An analytic PSF is drawn on the model grid; a file may be supersampled (--psf-supersample, default the model grid).
            int? psfSupersample = pr.GetValue(psfModel) is not null ? null : pr.GetValue(psfSuper);
            var forward = new ForwardModelSpec { Psf = psfTensor, PsfSource = psfSource, PsfSupersample = psfSupersample, Pool = pr.GetValue(pool), Scale = pr.GetValue(scale) };
            string kind = pr.GetValue(likelihood)!;
            string? noisePath = pr.GetValue(noiseModel);
            if (noisePath != null) kind = "slic";
            TrainedNoiseScore? noise = null;
            ScoreModel? noiseRun = null;
            Tensor? sigmaTensor = null;
            try
            {
                if (kind == "slic")
                {
                    if (noisePath == null) throw new UserInputException("--likelihood slic needs --noise-model RUN (a run folder made by scorpio train-noise)");
                    noiseRun = ScoreModel.Load(noisePath, device);
                    noise = TrainedNoiseScore.FromModel(noiseRun, noisePath);
                    if (NoiseModelInfo.Load(noisePath) is { } info && (info.Pool != forward.Pool || (info.Psf is null) != (forward.Psf is null)))
                        Console.Error.WriteLine($"warning: the noise model was trained for {info.Operator} (pool {info.Pool}), but this forward model is {forward.Describe()}: " +
                            "its perturbation kernel N(mu eta, sigma^2 A A^T) assumes the same A");
                }
                else if (kind == "gaussian")
                {
                    if (pr.GetValue(sigma) is null && pr.GetValue(sigmaMap) is null)
                        throw new UserInputException("--likelihood gaussian needs --sigma S (observation units) or --sigma-map FILE");
                    if (pr.GetValue(sigmaMap) is { } mapPath) sigmaTensor = ImageInputs.ReadTensor(mapPath, "sigmaMap");
                }
                else throw new UserInputException($"--likelihood '{kind}' is not known: use gaussian or slic");

                var request = new PosteriorRequest
                {
                    Prior = priorModel, Observation = observation, Forward = forward,
                    Sigma = pr.GetValue(sigma), SigmaMap = sigmaTensor, NoiseModel = noise, NoiseModelDescription = noisePath,
                    Method = pr.GetValue(method)!, Sampler = pr.GetValue(sampler)!, Steps = pr.GetValue(steps), Grid = pr.GetValue(grid), Zeta = pr.GetValue(zeta),
                    Residual = pr.GetValue(anneal) ? SlicResidual.Annealed : SlicResidual.Exact, Form = Form(pr.GetValue(covariance)!),
                    Count = CommandInputs.Positive(pr.GetValue(n), "--n"), PriorCount = pr.GetValue(priorN), BatchSize = pr.GetValue(batch),
                    Seed = CliContext.Seed(pr), ApertureRadius = pr.GetValue(aperture), Device = device, OutDir = pr.GetValue(output)!,
                };
                var result = PosteriorPipeline.Run(request, m => Console.Error.WriteLine(m));
                Console.WriteLine($"wrote {result.Files.Count} files to {result.OutDir}");
                return 0;
            }
            finally
            {
                sigmaTensor?.Dispose();
                noise?.Dispose();
                noiseRun?.Dispose();
            }
        });
        return cmd;
    }

    private static CovarianceForm Form(string name) => name switch
    {
        "auto" => CovarianceForm.Auto,
        "dense" => CovarianceForm.Dense,
        "cg" => CovarianceForm.ConjugateGradient,
        "fourier" => CovarianceForm.Fourier,
        "diagonal" => CovarianceForm.Diagonal,
        _ => throw new UserInputException($"--covariance '{name}' is not known: use auto, dense, cg, fourier or diagonal"),
    };

    /// <summary>An analytic PSF on the model grid: odd stamp of about 4 FWHM (at least 7 pixels).</summary>
    private static Tensor ModelPsf(string name, double? fwhm)
    {
        if (fwhm is not double f || !(f > 0)) throw new UserInputException("--psf-model needs --psf-fwhm F (a positive FWHM in model-grid pixels)");
        var model = name.ToLowerInvariant() switch
        {
            "gaussian" => Astro.Simulation.PsfModel.Gaussian,
            "moffat" => Astro.Simulation.PsfModel.Moffat,
            "airy" => Astro.Simulation.PsfModel.Airy,
            _ => throw new UserInputException($"--psf-model '{name}' is not known: use gaussian, moffat or airy"),
        };
        int size = Math.Max(7, 2 * (int)Math.Ceiling(2 * f) + 1);
        return Operators.Psf.FromModel(model, f, size).DetachFromDisposeScope();
    }
}
