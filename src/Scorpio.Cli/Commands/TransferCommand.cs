using System.CommandLine;
using Scorpio.Catalogues;
using Scorpio.Posterior;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>`scorpio transfer`: SDEdit domain transfer through a prior.</summary>
internal static class TransferCommand
{
    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "Prior run folder (scorpio train).", Required = true };
        var image = new Option<string?>("--image") { Description = "Input image FITS (in the prior's physical units)." };
        var t = new Option<double>("--t") { Description = "Noise the input to this fraction of T, then reverse (0: the input back; 1: an unconditional sample).", DefaultValueFactory = _ => SdeditTransfer.DefaultFraction };
        var sampler = new Option<string>("--sampler") { Description = "Reverse sampler.", DefaultValueFactory = _ => "euler-maruyama" };
        var steps = new Option<int?>("--steps") { Description = "Reverse steps over the full time range (default: the sampler's)." };
        var n = new Option<int>("--n") { Description = "Number of samples.", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch") { Description = "Samples drawn at once (memory)." };
        var output = new Option<string>("--out") { Description = "Output folder: samples.fits, median.fits, summary.json, preview.png (with --catalogue: one per object, objects/NNNNNN/).", Required = true };
        var catalogue = CatalogueOptions.Catalogue("--image");
        var shard = CatalogueOptions.Shard();
        var cmd = new Command("transfer", "SDEdit domain transfer: forward-noise the input to --t, then run the prior's reverse process.")
        {
            prior, image, t, sampler, steps, n, batch, output, catalogue, shard,
        };
        cmd.MapParameters(("fraction", t), ("count", n), ("batchSize", batch));
        cmd.SetAction(pr =>
        {
            string? cataloguePath = pr.GetValue(catalogue);
            CatalogueOptions.OneInput(pr.GetValue(image), "--image", cataloguePath);
            if (cataloguePath is null) OutputGuard.Folder(pr, "--out", pr.GetValue(output), PosteriorFiles.SampleProducts); // catalogue folders are re-entered
            var device = CliContext.Device(pr);
            using var model = ScoreModel.Load(pr.GetValue(prior)!, device);
            TransferRequest Request(ObservationInput input, long seed, string outDir) => new()
            {
                Prior = PriorModel.From(model, pr.GetValue(prior)!), Image = input, Fraction = pr.GetValue(t), Sampler = pr.GetValue(sampler)!,
                Steps = pr.GetValue(steps), Count = CommandInputs.Positive(pr.GetValue(n), "--n"), BatchSize = pr.GetValue(batch),
                Seed = seed, Device = device, OutDir = outDir,
            };
            if (cataloguePath is not null)
            {
                var job = new CatalogueJob
                {
                    Command = "transfer", OutDir = pr.GetValue(output)!, Catalogue = Catalogue.Open(cataloguePath),
                    Shard = CatalogueOptions.ResolveShard(pr, shard), Seed = CliContext.Seed(pr), Settings = CatalogueOptions.Settings(pr),
                };
                return CatalogueOptions.Report(job.Run(o => TransferPipeline.Run(Request(o.Observation!, o.Seed, o.OutDir)),
                    m => Console.Error.WriteLine(m)), job.OutDir);
            }
            using var input = ObservationInput.Load(pr.GetValue(image)!, null, m => Console.Error.WriteLine("notice: " + m));
            var result = TransferPipeline.Run(Request(input, CliContext.Seed(pr), pr.GetValue(output)!), m => Console.Error.WriteLine(m));
            Console.WriteLine($"wrote {result.Files.Count} files to {result.OutDir}");
            return 0;
        });
        return cmd;
    }
}
