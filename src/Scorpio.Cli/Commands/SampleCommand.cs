using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio sample`: unconditional samples from a trained run. Samples are drawn in batches in the model's normalised
/// space (Scorpio.Sampling), converted to the training data's physical units, and after EVERY batch the FITS cube of
/// all finished samples is rewritten atomically (and the PNG grid redrawn), so a killed run keeps what it finished.
/// One generator seeded with --seed draws all batches in order: the same seed and --batch give the same samples.
/// </summary>
internal static class SampleCommand
{
    private const int MaxPreviewTiles = 64;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder of a trained model (config.json, model.safetensors).", Required = true };
        var count = new Option<int>("--n") { Description = "Number of samples.", Required = true };
        var sampler = new Option<string>("--sampler") { Description = "Sampler: " + string.Join(", ", SamplerRegistry.Names) + ".", DefaultValueFactory = _ => "edm-heun" };
        var steps = new Option<int?>("--steps") { Description = "Time-grid points (noise levels); default per sampler (edm-heun 18 = 35 network evaluations, euler-maruyama 1000)." };
        var grid = new Option<string?>("--grid") { Description = "Time grid: uniform, karras (rho 7) or log-sigma; default per sampler." };
        var batch = new Option<int>("--batch") { Description = "Samples per batch (memory); each finished batch is written at once.", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--out") { Description = "Output FITS cube, (N, C, H, W) or (N, H, W) in the training data's units.", Required = true };
        var png = new Option<string?>("--png") { Description = $"Also write a PNG grid of the first {MaxPreviewTiles} samples (RGB composite for 3 bands)." };
        var stretch = new Option<string>("--stretch") { Description = "PNG stretch: asinh or percentile.", DefaultValueFactory = _ => "asinh" };
        var noDenoise = new Option<bool>("--no-denoise") { Description = "Skip the final Tweedie denoising step (keeps the noise sigma(epsilon) of the last grid time)." };
        var eta = new Option<double>("--eta") { Description = "ddim: stochasticity (0 deterministic, 1 = ancestral).", DefaultValueFactory = _ => 0 };
        var churn = new Option<double>("--churn") { Description = "edm-heun: S_churn (0 deterministic; Karras et al. used 10-80).", DefaultValueFactory = _ => 0 };
        var snr = new Option<double>("--snr") { Description = "pc: Langevin corrector signal-to-noise ratio.", DefaultValueFactory = _ => PredictorCorrectorSampler.DefaultSnr };
        var correctorSteps = new Option<int>("--corrector-steps") { Description = "pc: Langevin steps per noise level.", DefaultValueFactory = _ => 1 };

        var cmd = new Command("sample", "Draw unconditional samples from a trained score model. Example:\n" +
            "  scorpio sample --model runs/prior --n 64 --sampler edm-heun --out samples.fits --png samples.png --seed 1")
        {
            model, count, sampler, steps, grid, batch, output, png, stretch, noDenoise, eta, churn, snr, correctorSteps,
        };
        cmd.SetAction(pr =>
        {
            int n = pr.GetValue(count), b = pr.GetValue(batch);
            if (n < 1) throw new UserInputException($"--n must be at least 1 (got {n})");
            if (b < 1) throw new UserInputException($"--batch must be at least 1 (got {b})");
            string outPath = pr.GetValue(output)!, runDir = pr.GetValue(model)!;
            string? pngPath = pr.GetValue(png);
            var pngStretch = pr.GetValue(stretch) switch
            {
                "asinh" => Stretch.Asinh(),
                "percentile" => Stretch.Percentile(),
                var s => throw new UserInputException($"--stretch '{s}' is not known: use asinh or percentile"),
            };
            var definition = SamplerRegistry.Get(pr.GetValue(sampler)!);
            var options = new SamplerOptions
            {
                Steps = pr.GetValue(steps), Grid = pr.GetValue(grid), Denoise = !pr.GetValue(noDenoise),
                Eta = pr.GetValue(eta), Churn = pr.GetValue(churn), Snr = pr.GetValue(snr), CorrectorSteps = pr.GetValue(correctorSteps),
            };
            long seed = CliContext.Seed(pr);
            var device = CliContext.Device(pr);

            using var scoreModel = ScoreModel.Load(runDir, device);
            var sde = scoreModel.Sde;
            var gridTimes = SamplerRegistry.Grid(definition, sde, options);
            long nfePerBatch = definition.Nfe(gridTimes.Length, options);
            int batches = (n + b - 1) / b;
            var header = Header(runDir, scoreModel, definition, options, gridTimes.Length, nfePerBatch, seed);

            using var rng = new Generator((ulong)seed, device);
            var physical = new List<float>();
            int done = 0;
            int[] itemShape = [];
            string title = $"sampling {n} from {runDir} with {definition.Name} ({gridTimes.Length} grid points, {nfePerBatch} evaluations per batch, {sde.Name} SDE, seed {seed})";
            SamplingProgress.Run(title, nfePerBatch * batches, report =>
            {
                for (int k = 0; k < batches; k++)
                {
                    int size = Math.Min(b, n - done);
                    long before = k * nfePerBatch;
                    using var inference = torch.InferenceMode();
                    using var scope = torch.NewDisposeScope();
                    var x = SamplerRegistry.Generate(definition, scoreModel, sde, scoreModel.SampleShape(size), rng, options,
                        s => report(before + s.Nfe, $"batch {k + 1}/{batches}"), device);
                    var phys = scoreModel.ToPhysical(x);
                    physical.AddRange(phys.ToFloatArray());
                    itemShape = phys.Shape.Skip(1).Select(v => (int)v).ToArray();
                    done += size;
                    WriteOutputs(outPath, pngPath, pngStretch, physical, done, itemShape, header);
                    report(before + nfePerBatch, $"batch {k + 1}/{batches} written");
                }
            });
            Console.WriteLine($"wrote {outPath} ({done} samples, {string.Join("x", CubeShape(done, itemShape))}){(pngPath is null ? "" : $" and {pngPath}")}");
            return 0;
        });
        return cmd;
    }

    /// <summary>(N, C, H, W) for multi-band images, (N, H, W) for one band, (N, D) for vectors.</summary>
    private static int[] CubeShape(int count, int[] item) =>
        item.Length == 3 && item[0] == 1 ? [count, item[1], item[2]] : [count, .. item];

    private static void WriteOutputs(string fitsPath, string? pngPath, Stretch stretch, List<float> physical, int count, int[] item, FitsHeader header)
    {
        header.Set("NSAMPLES", count, "samples written so far");
        FitsFile.Write(fitsPath, new ImageData(physical.ToArray(), CubeShape(count, item)), header);
        if (pngPath is null || item.Length != 3) return;
        int tiles = Math.Min(count, MaxPreviewTiles), c = item[0], h = item[1], w = item[2];
        var images = new List<ImageData>(tiles);
        for (int i = 0; i < tiles; i++)
        {
            var pixels = physical.GetRange(i * c * h * w, c * h * w).ToArray();
            // Three bands: Lupton RGB composite; one band: grey; other band counts: the first band.
            images.Add(c == 3 ? new ImageData(pixels, 3, h, w) : new ImageData(pixels[..(h * w)], h, w));
        }
        Preview.SaveGrid(pngPath, images, stretch, columns: Math.Min(8, tiles));
    }

    private static FitsHeader Header(string runDir, ScoreModel model, SamplerDefinition sampler, SamplerOptions options, int points, long nfe, long seed)
    {
        var h = new FitsHeader();
        h.Set("MODEL", Path.GetFullPath(runDir), "run folder of the score model");
        h.Set("SDE", model.Sde.Name, "forward SDE of the model");
        h.Set("SAMPLER", sampler.Name, "scorpio sampler");
        h.Set("STEPS", points, "time-grid points (noise levels)");
        h.Set("GRID", SamplerRegistry.GridKind(sampler, model.Sde, options), "time grid");
        h.Set("NFE", nfe, "network evaluations per batch of samples");
        h.Set("DENOISE", options.Denoise, "final Tweedie denoising step");
        if (sampler.Name == "ddim") h.Set("ETA", options.Eta, "DDIM eta");
        if (sampler.Name == "edm-heun") h.Set("CHURN", options.Churn, "EDM S_churn");
        if (sampler.Name == "pc") { h.Set("SNR", options.Snr, "Langevin corrector snr"); h.Set("CORRSTEP", options.CorrectorSteps, "corrector steps"); }
        h.Set("SEED", seed, "seed of every random draw");
        h.Set("NORMKIND", model.Normalization.Kind, "normalisation undone before writing");
        h.Set("SCORPVER", RunConfig.CurrentVersion, "Scorpio version");
        h.Set("DATE", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss"), "UTC time of writing");
        h.AddComment("Unconditional samples in the training data's physical units (scorpio sample).");
        return h;
    }
}
