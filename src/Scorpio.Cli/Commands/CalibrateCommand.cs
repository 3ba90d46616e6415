using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Calibration;
using Scorpio.Likelihoods;
using Scorpio.Models;
using Scorpio.Posterior;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio calibrate`: does a posterior method give honest uncertainties with this prior and forward model? Draws truths
/// from the prior, observes them, samples their posteriors and writes TARP, coverage, z-scores and a posterior-predictive
/// check (<see cref="CalibrationRun"/>). This file only maps flags to settings.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "Prior run folder (scorpio train): truths are drawn from it and the posterior uses it.", Required = true };
        var simulate = new Option<int>("--simulate") { Description = "Number of simulated truths (TARP uses simulations / 10 bins, as sbi: 50 gives a rough check, 200 the issue's target).", DefaultValueFactory = _ => 50 };
        var psf = new Option<string?>("--psf") { Description = "PSF FITS on the prior's grid (normalised to sum 1)." };
        var psfModel = new Option<string?>("--psf-model") { Description = "Analytic PSF instead of --psf: gaussian, moffat or airy (with --psf-fwhm, prior pixels)." };
        var psfFwhm = new Option<double?>("--psf-fwhm") { Description = "FWHM of --psf-model in prior pixels." };
        var pool = new Option<int>("--pool") { Description = "Average pooling from the prior's grid to the observed grid.", DefaultValueFactory = _ => 1 };
        var sigma = new Option<double?>("--sigma") { Description = "White Gaussian noise sigma of the simulated observations, in the prior's physical units.", Required = true };
        var method = new Option<string>("--method") { Description = "Posterior method: " + string.Join(", ", PosteriorMethods.Names) + " (see scorpio posterior --help).", DefaultValueFactory = _ => PosteriorMethods.Default };
        var sampler = new Option<string?>("--sampler") { Description = "Sampler for --method score or mmps (default: the method's own, as scorpio posterior)." };
        var steps = new Option<int?>("--steps") { Description = $"The method's time steps (as scorpio posterior --steps). Default: the method's own, as scorpio posterior runs it (mmps: {MmpsPosteriorMethod.DefaultSteps} Karras points of {MmpsPosteriorMethod.DefaultSampler}). Cost grows with them: see --help of scorpio posterior." };
        var grid = new Option<string?>("--grid") { Description = "Time grid (as scorpio posterior --grid)." };
        var cgIters = new Option<int?>("--cg-iters") { Description = "mmps: conjugate-gradient iterations per score evaluation (as scorpio posterior --cg-iters)." };
        var covariance = new Option<string>("--covariance") { Description = "Gaussian likelihood form (as scorpio posterior --covariance).", DefaultValueFactory = _ => "auto" };
        var n = new Option<int>("--n") { Description = "Posterior samples per truth (coverage from the truth's rank is exact for any number; TARP's resolution is 1/n).", DefaultValueFactory = _ => CalibrationRequest.DefaultSamplesPerTruth };
        var batch = new Option<int?>("--batch") { Description = "Posterior samples drawn at once, several simulations' together (default 64: ten simulations of --n 6; more uses more memory and, on a CPU, is a little faster per sample); the results do not depend on it." };
        var truthSampler = new Option<string>("--truth-sampler") { Description = "Sampler that draws the truths from the prior.", DefaultValueFactory = _ => "edm-heun" };
        var truthSteps = new Option<int?>("--truth-steps") { Description = "Grid points of --truth-sampler (default its own: edm-heun 18 = 35 network evaluations)." };
        var aperture = new Option<double>("--aperture") { Description = "Radius (prior pixels) of the central aperture whose flux coverage is measured (clipped to half the image).", DefaultValueFactory = _ => 30 };
        var output = new Option<string>("--out") { Description = "Output folder: calibration.json, report.html (TARP plot), truths.fits, observations.fits, samples.fits.", Required = true };
        var cmd = new Command("calibrate", "Calibration of a posterior method in distribution: draw --simulate truths from --prior, observe them through the forward model " +
            "(--psf/--psf-model, --pool) with noise --sigma, sample --n posterior samples of each with --method, and report TARP (ECP curve, ATC, KS as sbi's check_tarp), " +
            "per-pixel and aperture-flux coverage at 50/68/95%, z-scores and a posterior-predictive chi^2 of y. Truth k draws from (--seed, k). " +
            "docs/posterior-with-psf.md explains how to read it.")
        {
            prior, simulate, psf, psfModel, psfFwhm, pool, sigma, method, sampler, steps, grid, cgIters, covariance, n, batch, truthSampler, truthSteps, aperture, output,
        };
        cmd.MapParameters(("simulations", simulate), ("cgIterations", cgIters), ("samplesPerTruth", n), ("count", n), ("batchSize", batch), ("apertureRadius", aperture), ("priorCount", n));
        cmd.SetAction(pr =>
        {
            var device = CliContext.Device(pr);
            var settings = new PosteriorSettings { Sampler = pr.GetValue(sampler), Steps = pr.GetValue(steps), Grid = pr.GetValue(grid), CgIterations = pr.GetValue(cgIters) };
            var exposure = new ExposureSpec { PsfPath = pr.GetValue(psf), PsfModel = pr.GetValue(psfModel), PsfFwhm = pr.GetValue(psfFwhm), Pool = pr.GetValue(pool), Sigma = pr.GetValue(sigma) };
            var request = new CalibrationRequest
            {
                Exposure = exposure, Form = CovarianceForms.Parse(pr.GetValue(covariance)!), Simulations = pr.GetValue(simulate),
                SamplesPerTruth = pr.GetValue(n), Method = pr.GetValue(method)!, Settings = settings, TruthSampler = pr.GetValue(truthSampler)!,
                TruthSteps = pr.GetValue(truthSteps), BatchSize = pr.GetValue(batch), Seed = CliContext.Seed(pr), ApertureRadius = pr.GetValue(aperture),
                Device = device, OutDir = pr.GetValue(output)!,
            };
            // Checked before the prior loads, so a typo costs no model load and names its flag.
            InverseProblemBuilder.Check(new ProblemSpec { Exposures = [exposure] });
            CalibrationRun.CheckSettings(request);
            using var model = ScoreModel.Load(pr.GetValue(prior)!, device);
            var result = CalibrationRun.Run(PriorModel.From(model, pr.GetValue(prior)!), request, m => Console.Error.WriteLine(m));
            var s = result.Summary["statistics"]!;
            static string F(JsonNode? v) => v?.GetValue<double>().ToString("G3", CultureInfo.InvariantCulture) ?? "n/a";
            Console.WriteLine($"68% coverage: pixels {F(s["coverage"]!["68"]!["pixel"])}, aperture flux {F(s["coverage"]!["68"]!["aperture_flux"])}; " +
                $"TARP ATC {F(s["tarp"]!["atc"])}, KS p {F(s["tarp"]!["ks_p_value"])}");
            Console.WriteLine($"wrote {result.Files.Count} files to {result.OutDir} (open report.html)");
            return 0;
        });
        return cmd;
    }
}
