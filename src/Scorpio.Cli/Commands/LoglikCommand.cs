using System.CommandLine;
using System.Text.Json;
using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Density;
using Scorpio.Torch;
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
    // Normalisations acting pixel by pixel (diagonal Jacobian); per-image min-max mixes pixels and has no inverse.
    private static readonly string[] Elementwise = ["clip", "asinh", "minmax-dataset", "standardize", "none"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder of a trained model.", Required = true };
        var data = new Option<string[]>("--data") { Description = "Images: FITS cubes, folders of FITS images or .npy arrays (same layout as for training).", Required = true, AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--n") { Description = "Use at most this many images (the first ones)." };
        var batch = new Option<int>("--batch") { Description = "Images per batch.", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "RK4 steps of the ODE (4 network evaluations each).", DefaultValueFactory = _ => 64 };
        var divergence = new Option<string>("--divergence") { Description = "hutchinson (one backward pass per probe) or exact (one per pixel: small images only).", DefaultValueFactory = _ => "hutchinson" };
        var probes = new Option<int>("--probes") { Description = "Hutchinson probes per image (averaged).", DefaultValueFactory = _ => 1 };
        var units = new Option<string>("--units") { Description = "physical (the data's units, through the normalisation's Jacobian) or normalised (the model's units).", DefaultValueFactory = _ => "physical" };
        var quantum = new Option<double?>("--quantum") { Description = "Dequantise: add U(0, q) noise (q in data units, e.g. 1 for integer counts) and report bits/dim of the discrete values." };
        var output = new Option<string>("--out") { Description = "JSON file for the results.", DefaultValueFactory = _ => "loglik.json" };

        var cmd = new Command("loglik", "Log-likelihood (bits/dim) of images under a trained model, via the probability-flow ODE. Example:\n" +
            "  scorpio loglik --model runs/prior --data test.fits --n 64 --out loglik.json")
        {
            model, data, limit, batch, steps, divergence, probes, units, quantum, output,
        };
        cmd.SetAction(pr =>
        {
            int b = pr.GetValue(batch);
            if (b < 1) throw new UserInputException($"--batch must be at least 1 (got {b})");
            string unitName = pr.GetValue(units)!;
            if (unitName is not ("physical" or "normalised")) throw new UserInputException($"--units '{unitName}': use physical or normalised");
            var estimator = pr.GetValue(divergence) switch
            {
                "hutchinson" => DivergenceEstimator.Hutchinson,
                "exact" => DivergenceEstimator.Exact,
                var s => throw new UserInputException($"--divergence '{s}': use hutchinson or exact"),
            };
            var options = new LogDensityOptions { Steps = pr.GetValue(steps), Divergence = estimator, Probes = pr.GetValue(probes) };
            if (options.Steps < 1 || options.Probes < 1) throw new UserInputException("--steps and --probes must be at least 1");
            double? q = pr.GetValue(quantum);
            if (q is double qq && !(qq > 0)) throw new UserInputException($"--quantum must be positive (got {qq})");
            string runDir = pr.GetValue(model)!, outPath = pr.GetValue(output)!;
            long seed = CliContext.Seed(pr);
            var device = CliContext.Device(pr);

            using var scoreModel = ScoreModel.Load(runDir, device);
            bool physical = unitName == "physical";
            if (physical && !Elementwise.Contains(scoreModel.Normalization.Kind))
                throw new UserInputException($"the model's normalisation '{scoreModel.Normalization.Kind}' mixes pixels and cannot be inverted, so there is no density in physical units; use --units normalised");
            using var dataset = DatasetLoader.Load(pr.GetValue(data) ?? [], allowVectors: scoreModel.Config.Network.Arch == "mlp");
            var expected = scoreModel.SampleShape(1).Skip(1).ToArray();
            if (!dataset.SampleShape.Select(v => (long)v).SequenceEqual(expected))
                throw new UserInputException($"the data's images are ({string.Join(", ", dataset.SampleShape)}) but the model expects ({string.Join(", ", expected)})");
            int n = (int)Math.Min(dataset.Count, pr.GetValue(limit) ?? long.MaxValue);
            if (n < 1) throw new UserInputException("no images to evaluate (--n must be at least 1)");
            long dims = expected.Aggregate(1L, (a, v) => a * v);
            if (estimator == DivergenceEstimator.Exact && dims > 4096)
                Console.Error.WriteLine($"note: the exact divergence costs {dims} backward passes per evaluation; --divergence hutchinson is far cheaper");

            using var rng = new Generator((ulong)seed, device);
            var bpd = new double[n];
            var logp = new double[n];
            int batches = (n + b - 1) / b;
            long nfePerBatch = 4L * options.Steps, clipped = 0;
            SamplingProgress.Run($"log-likelihood of {n} images under {runDir} ({scoreModel.Sde.Name}, {options.Steps} RK4 steps, {estimator}, seed {seed})",
                nfePerBatch * batches, report =>
            {
                for (int k = 0, start = 0; k < batches; k++, start += b)
                {
                    int size = Math.Min(b, n - start);
                    using var scope = torch.NewDisposeScope();
                    var x = dataset.Samples.Narrow(0, start, size).To(device, DType.Float32);
                    if (q is double step) x = x.Add(torch.RandLike(x, rng).Mul(step));
                    var y = scoreModel.FromPhysical(x);
                    long before = k * nfePerBatch;
                    var result = OdeLogDensity.LogDensity(scoreModel, scoreModel.Sde, y, rng, options, s => report(before + s.Nfe, $"batch {k + 1}/{batches}"));
                    // The clip normalisation maps everything outside [0, A] to the edges: such pixels have no density in
                    // physical units, so evaluate the image as clipped (the round trip), where the Jacobian is 2/A.
                    var roundTrip = scoreModel.ToPhysical(y);
                    clipped += roundTrip.Sub(x).Abs().Gt(1e-4).Sum().ToLong();
                    var jacobian = physical ? ElementwiseJacobian.LogAbsDet(scoreModel.FromPhysical, roundTrip) : new double[size];
                    for (int i = 0; i < size; i++)
                    {
                        if (double.IsNegativeInfinity(jacobian[i]))
                            throw new UserInputException($"image {start + i}: the '{scoreModel.Normalization.Kind}' normalisation has a zero derivative there, " +
                                "so there is no density in physical units; use --units normalised");
                        logp[start + i] = result.LogDensity[i] + jacobian[i];
                        bpd[start + i] = BitsPerDim.FromLogDensity(result.LogDensity[i], dims, jacobian[i], q);
                    }
                }
            });
            if (clipped > 0)
                Console.Error.WriteLine($"note: {clipped} pixel(s) ({100.0 * clipped / (n * dims):F2}%) lie outside the range of the '{scoreModel.Normalization.Kind}' " +
                    "normalisation; they were evaluated at its edge, so these are the bits/dim of the clipped images");
            double mean = bpd.Average();
            double se = n > 1 ? Math.Sqrt(bpd.Sum(v => (v - mean) * (v - mean)) / (n - 1) / n) : double.NaN;
            WriteJson(outPath, new
            {
                model = Path.GetFullPath(runDir),
                data = dataset.Sources,
                images = n,
                units = unitName,
                clippedPixels = clipped,
                quantum = q,
                sde = scoreModel.Sde.Name,
                ode = new { solver = "rk4", steps = options.Steps, grid = options.Grid, divergence = estimator.ToString().ToLowerInvariant(), probes = options.Probes },
                seed,
                scorpioVersion = RunConfig.CurrentVersion,
                bitsPerDim = mean,
                bitsPerDimStandardError = double.IsNaN(se) ? (double?)null : se,
                perImageBitsPerDim = bpd,
                perImageLogLikelihoodNats = logp,
            });
            Console.WriteLine($"bits/dim = {mean:F4}{(double.IsNaN(se) ? "" : $" +- {se:F4}")} ({n} images, {unitName} units{(q is null ? "" : $", dequantised with q = {q}")}); wrote {outPath}");
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
