using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Catalogues;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio sample`: unconditional samples from a trained run. Samples are drawn in batches in the model's normalised
/// space (Scorpio.Sampling), converted to the training data's physical units, and after EVERY batch the FITS cube of
/// all finished samples is rewritten atomically as NAME.partial.fits (and the PNG grid redrawn), so a killed run keeps what it
/// finished under a name and header (COMPLETE = F) that say so; the last batch writes NAME.fits.
/// Seed rule: sample k draws from its own generator seeded from (--seed, k), so the same seed gives the same samples
/// whatever --batch is (Scorpio.Sampling.PriorSampling; docs/seeds.md).
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder of a trained model (config.json, model.safetensors).", Required = true };
        var count = new Option<int>("--n") { Description = "Number of samples.", Required = true };
        var sampler = new Option<string>("--sampler") { Description = "Sampler: " + string.Join(", ", SamplerRegistry.Names) + ".", DefaultValueFactory = _ => "edm-heun" };
        var steps = new Option<int?>("--steps") { Description = "Time-grid points (noise levels); default per sampler (edm-heun 18 = 35 network evaluations, euler-maruyama 1000)." };
        var grid = new Option<string?>("--grid") { Description = "Time grid: uniform, karras (rho 7) or log-sigma; default per sampler." };
        var batch = new Option<int>("--batch") { Description = "Samples per batch (memory); each finished batch is written at once. The samples do not depend on it.", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--out") { Description = "Output FITS cube, (N, C, H, W) or (N, H, W) in the training data's units (with --shard: a run folder of blocks of --batch samples, assembled by scorpio merge).", Required = true };
        var shard = CatalogueOptions.Shard();
        shard.Description = "Draw shard i of n of the --n samples (i/n, from 0), in blocks of --batch written to the run folder --out; blocks already written are skipped. " +
            "Default in a Slurm job array when --out is a folder: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT. 'scorpio merge OUT' gives OUT/merged/samples.fits, equal to an unsharded run with the same --batch.";
        var png = new Option<string?>("--png") { Description = $"Also write a PNG grid of the first {SampleFiles.MaxPreviewTiles} samples (RGB composite for 3 bands)." };
        var stretch = new Option<string>("--stretch") { Description = "PNG stretch: asinh or percentile.", DefaultValueFactory = _ => "asinh" };
        var noDenoise = new Option<bool>("--no-denoise") { Description = "Skip the final Tweedie denoising step (keeps the noise sigma(epsilon) of the last grid time)." };
        var eta = new Option<double>("--eta") { Description = "ddim: stochasticity (0 deterministic, 1 = ancestral).", DefaultValueFactory = _ => 0 };
        var churn = new Option<double>("--churn") { Description = "edm-heun: S_churn (0 deterministic; Karras et al. used 10-80).", DefaultValueFactory = _ => 0 };
        var snr = new Option<double>("--snr") { Description = "pc: Langevin corrector signal-to-noise ratio.", DefaultValueFactory = _ => PredictorCorrectorSampler.DefaultSnr };
        var correctorSteps = new Option<int>("--corrector-steps") { Description = "pc: Langevin steps per noise level.", DefaultValueFactory = _ => 1 };

        var cmd = new Command("sample", "Draw unconditional samples from a trained score model. Example:\n" +
            "  scorpio sample --model runs/prior --n 64 --sampler edm-heun --out samples.fits --png samples.png --seed 1\n" +
            "Sample k of a run draws from its own generator seeded from (--seed, k): the same seed gives the same samples whatever\n" +
            "--batch is, and the first N samples of a larger run are those of an --n N run.")
        {
            model, count, sampler, steps, grid, batch, output, png, stretch, noDenoise, eta, churn, snr, correctorSteps, shard,
        };
        cmd.MapParameters(("count", count), ("batchSize", batch));
        cmd.SetAction(pr =>
        {
            string outPath = pr.GetValue(output)!, runDir = pr.GetValue(model)!;
            string? pngPath = pr.GetValue(png);
            var pngStretch = pr.GetValue(stretch) switch
            {
                "asinh" => Stretch.Asinh(),
                "percentile" => Stretch.Percentile(),
                var s => throw new UserInputException($"--stretch '{s}' is not known: use asinh or percentile"),
            };
            long seed = CliContext.Seed(pr);
            var device = CliContext.Device(pr);
            var options = new PriorSamplingOptions
            {
                Sampler = SamplerRegistry.Get(pr.GetValue(sampler)!),
                Settings = new SamplerOptions
                {
                    Steps = pr.GetValue(steps), Grid = pr.GetValue(grid), Denoise = !pr.GetValue(noDenoise),
                    Eta = pr.GetValue(eta), Churn = pr.GetValue(churn), Snr = pr.GetValue(snr), CorrectorSteps = pr.GetValue(correctorSteps),
                },
                Count = pr.GetValue(count), BatchSize = pr.GetValue(batch), Seed = seed, Device = device,
            };
            PriorSampling.Validate(options);
            bool folderOut = !outPath.EndsWith(".fits", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".fit", StringComparison.OrdinalIgnoreCase);
            if (pr.GetValue(shard) is not null && !folderOut) throw new UserInputException($"--shard writes a run folder of blocks: give --out a folder, not {outPath} (scorpio merge then writes OUT/merged/samples.fits)");
            // A sharded run folder is re-entered on purpose (finished blocks are skipped), so only a single file is guarded.
            bool sharded = pr.GetValue(shard) is not null || (folderOut && Shard.FromSlurm() is not null);
            if (!sharded)
            {
                OutputGuard.File(pr, "--out", outPath);
                OutputGuard.File(pr, "--out", SampleFiles.PartialPath(outPath));
                OutputGuard.File(pr, "--png", pngPath);
            }

            using var scoreModel = ScoreModel.Load(runDir, device);
            var sde = scoreModel.Sde;
            long total = PriorSampling.Evaluations(sde, options), perBatch = PriorSampling.EvaluationsPerBatch(sde, options);
            var header = SampleFiles.Header(runDir, sde, scoreModel.Normalization.Kind, options);
            if (sharded)
            {
                var job = new CatalogueJob
                {
                    Command = "sample", OutDir = outPath, Samples = options.Count, BlockSize = options.BatchSize,
                    Shard = CatalogueOptions.ResolveShard(pr, shard), Seed = seed, Settings = CatalogueOptions.Settings(pr),
                };
                return CatalogueOptions.Report(job.Run(o =>
                {
                    Directory.CreateDirectory(o.OutDir);
                    var block = PriorSampling.Draw(scoreModel, options with { Count = o.Count, First = o.First });
                    SampleFiles.Write(Path.Combine(o.OutDir, "samples.fits"), block, header, o.Count);
                }, m => Console.Error.WriteLine(m)), job.OutDir);
            }
            int points = SamplerRegistry.Grid(options.Sampler, sde, options.Settings).Length;
            string title = $"sampling {options.Count} from {runDir} with {options.Sampler.Name} ({points} grid points, {perBatch} evaluations per batch, {sde.Name} SDE, seed {seed})";
            PriorSamples? samples = null;
            SamplingProgress.Run(title, total, report => samples = PriorSampling.Draw(scoreModel, options,
                done => SampleFiles.Write(outPath, done, header, options.Count, pngPath, pngStretch),
                p => report(p.Nfe, $"batch {p.Batch}/{p.Batches}{(p.BatchDone ? " written" : "")}")));
            Console.WriteLine($"wrote {outPath} ({samples!.Count} samples, {string.Join("x", samples.CubeShape)}){(pngPath is null ? "" : $" and {pngPath}")}");
            return 0;
        });
        return cmd;
    }
}
