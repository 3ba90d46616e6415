using System.CommandLine;
using System.Text.Json;
using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Density;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio loglik`: log-likelihood of images under a trained model through the probability-flow ODE
/// (Scorpio.Density), reported in bits per dimension. In physical units (default) the normalisation's Jacobian is
/// added, so the number depends on the data's units (see <see cref="BitsPerDim"/>); --quantum dequantises integer data
/// and gives the bits/dim of the discrete values. Prints the mean and its standard error; writes per-image values as JSON.
/// </summary>
internal static class LoglikCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder of a trained model.", Required = true };
        var data = new Option<string[]>("--data") { Description = "Images: FITS cubes, folders of FITS images or .npy arrays (same layout as for training).", Required = true, AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--n") { Description = "Use at most this many images (the first ones)." };
        var batch = new Option<int>("--batch") { Description = "Images per batch (memory; the values do not depend on it).", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "RK4 steps of the ODE (4 network evaluations each).", DefaultValueFactory = _ => 64 };
        var divergence = new Option<string>("--divergence") { Description = "hutchinson (one backward pass per probe) or exact (one per pixel: small images only).", DefaultValueFactory = _ => "hutchinson" };
        var probes = new Option<int>("--probes") { Description = "Hutchinson probes per image (averaged).", DefaultValueFactory = _ => 1 };
        var units = new Option<string>("--units") { Description = "physical (the data's units, through the normalisation's Jacobian) or normalised (the model's units).", DefaultValueFactory = _ => "physical" };
        var quantum = new Option<double?>("--quantum") { Description = "Dequantise: add U(0, q) noise (q in data units, e.g. 1 for integer counts) and report bits/dim of the discrete values." };
        var output = new Option<string>("--out") { Description = "JSON file for the results.", DefaultValueFactory = _ => "loglik.json" };

        var cmd = new Command("loglik", "Log-likelihood (bits/dim) of images under a trained model, via the probability-flow ODE. Example:\n" +
            "  scorpio loglik --model runs/prior --data test.fits --n 64 --out loglik.json\n" +
            "Image k draws its dequantisation noise and Hutchinson probes from its own generator seeded from (--seed, k), so its value\n" +
            "does not depend on --batch (Scorpio.Density.DataLogLikelihood).")
        {
            model, data, limit, batch, steps, divergence, probes, units, quantum, output,
        };
        cmd.MapParameters(("count", limit), ("batchSize", batch), ("images", data));
        cmd.SetAction(pr =>
        {
            OutputGuard.File(pr, "--out", pr.GetValue(output));
            string unitName = pr.GetValue(units)!;
            var densityUnits = unitName switch
            {
                "physical" => DensityUnits.Physical,
                "normalised" => DensityUnits.Normalised,
                _ => throw new UserInputException($"--units '{unitName}': use physical or normalised"),
            };
            var estimator = pr.GetValue(divergence) switch
            {
                "hutchinson" => DivergenceEstimator.Hutchinson,
                "exact" => DivergenceEstimator.Exact,
                var s => throw new UserInputException($"--divergence '{s}': use hutchinson or exact"),
            };
            long seed = CliContext.Seed(pr);
            var options = new DataLogLikelihoodOptions
            {
                Ode = new LogDensityOptions { Steps = pr.GetValue(steps), Divergence = estimator, Probes = pr.GetValue(probes) },
                BatchSize = pr.GetValue(batch), Units = densityUnits, Quantum = pr.GetValue(quantum), Seed = seed,
            };
            // Checked before the model loads, so a typo costs no model load.
            DataLogLikelihood.Validate(options);
            if (pr.GetValue(limit) is < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {pr.GetValue(limit)})");
            string runDir = pr.GetValue(model)!, outPath = pr.GetValue(output)!;
            var device = CliContext.Device(pr);

            using var scoreModel = ScoreModel.Load(runDir, device);
            using var dataset = DatasetLoader.Load(pr.GetValue(data) ?? [], allowVectors: scoreModel.Config.Network.ForVectors);
            int n = (int)Math.Min(dataset.Count, pr.GetValue(limit) ?? long.MaxValue);
            long dims = scoreModel.SampleShape(1).Skip(1).Aggregate(1L, (a, v) => a * v);
            if (estimator == DivergenceEstimator.Exact && dims > 4096)
                Console.Error.WriteLine($"note: the exact divergence costs {dims} backward passes per evaluation; --divergence hutchinson is far cheaper");

            using var images = dataset.Samples.Narrow(0, 0, n);
            DataLogLikelihoodResult? result = null;
            SamplingProgress.Run($"log-likelihood of {n} images under {runDir} ({scoreModel.Sde.Name}, {options.Ode.Steps} RK4 steps, {estimator}, seed {seed})",
                DataLogLikelihood.Evaluations(n, options),
                report => result = DataLogLikelihood.Evaluate(scoreModel, images, options, p => report(p.Nfe, $"batch {p.Batch}/{p.Batches}")));
            var r = result!;
            if (r.ClippedPixels > 0)
                Console.Error.WriteLine($"note: {r.ClippedPixels} pixel(s) ({100.0 * r.ClippedPixels / (n * dims):F2}%) lie outside the range of the '{scoreModel.Normalization.Kind}' " +
                    "normalisation; they were evaluated at its edge, so these are the bits/dim of the clipped images");
            double mean = r.MeanBitsPerDim;
            double? se = r.StandardError;
            var q = options.Quantum;
            WriteJson(outPath, new
            {
                model = Path.GetFullPath(runDir),
                data = dataset.Sources,
                images = n,
                units = unitName,
                clippedPixels = r.ClippedPixels,
                quantum = q,
                sde = scoreModel.Sde.Name,
                ode = new { solver = "rk4", steps = options.Ode.Steps, grid = options.Ode.Grid, divergence = estimator.ToString().ToLowerInvariant(), probes = options.Ode.Probes },
                seed,
                seedRule = "per-image: image k draws from SampleNoise.SeedFor(seed, k), whatever --batch",
                scorpioVersion = RunConfig.CurrentVersion,
                bitsPerDim = mean,
                bitsPerDimStandardError = se,
                perImageBitsPerDim = r.BitsPerDim,
                perImageLogLikelihoodNats = r.LogLikelihood,
            });
            Console.WriteLine($"bits/dim = {mean:F4}{(se is double e ? $" +- {e:F4}" : "")} ({n} images, {unitName} units{(q is null ? "" : $", dequantised with q = {q}")}); wrote {outPath}");
            return 0;
        });
        return cmd;
    }

    private static void WriteJson(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Scorpio.Astro.DataTools.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
    }
}
