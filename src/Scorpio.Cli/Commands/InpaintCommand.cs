using System.CommandLine;
using Scorpio.Catalogues;
using Scorpio.Posterior;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>`scorpio inpaint`: fill masked pixels (trails, cosmic rays) with posterior samples from a prior.</summary>
internal static class InpaintCommand
{
    public static Command Create()
    {
        var prior = new Option<string>("--prior") { Description = "Prior run folder (scorpio train).", Required = true };
        var image = new Option<string?>("--image") { Description = "Image FITS with the pixels to fill (NaNs are masked too)." };
        var mask = new Option<string?>("--mask") { Description = "Mask FITS: non-zero = unknown pixel to inpaint (with --catalogue: a cube or list of one mask per object; without, each stamp's NaNs)." };
        var start = new Option<double>("--start") { Description = "Start time of the reverse process, fraction of T (astroddpm: 950 of 1000 = 0.95).", DefaultValueFactory = _ => Inpainting.DefaultStart };
        var resample = new Option<int>("--resample") { Description = "RePaint: times each block of --jump steps is run, re-noising in between (1 = plain replacement, astroddpm; it pulls the fill towards the prior: RePaint's 10 is much closer to the exact conditional).", DefaultValueFactory = _ => 1 };
        var jump = new Option<int>("--jump") { Description = "RePaint block length in steps.", DefaultValueFactory = _ => Inpainting.DefaultJump };
        var steps = new Option<int>("--steps") { Description = "Reverse steps.", DefaultValueFactory = _ => 1000 };
        var n = new Option<int>("--n") { Description = "Number of samples.", DefaultValueFactory = _ => 16 };
        var batch = new Option<int?>("--batch") { Description = "Samples drawn at once (memory)." };
        var output = new Option<string>("--out") { Description = "Output folder: samples.fits, median.fits, summary.json, preview.png (with --catalogue: one per object, objects/NNNNNN/).", Required = true };
        var catalogue = CatalogueOptions.Catalogue("--image");
        var shard = CatalogueOptions.Shard();
        var cmd = new Command("inpaint", "Inpaint masked pixels: replacement (known pixels follow the forward process) with optional RePaint resampling.")
        {
            prior, image, mask, start, resample, jump, steps, n, batch, output, catalogue, shard,
        };
        cmd.MapParameters(("count", n), ("batchSize", batch));
        cmd.SetAction(pr =>
        {
            string? cataloguePath = pr.GetValue(catalogue);
            CatalogueOptions.OneInput(pr.GetValue(image), "--image", cataloguePath);
            if (cataloguePath is null && pr.GetValue(mask) is null) throw new Astro.UserInputException("--mask FILE is required: the pixels to fill (non-zero)");
            if (cataloguePath is null) OutputGuard.Folder(pr, "--out", pr.GetValue(output), PosteriorFiles.SampleProducts); // catalogue folders are re-entered
            var device = CliContext.Device(pr);
            using var model = ScoreModel.Load(pr.GetValue(prior)!, device);
            InpaintRequest Request(ObservationInput input, long seed, string outDir) => new()
            {
                Prior = PriorModel.From(model, pr.GetValue(prior)!), Image = input, Start = pr.GetValue(start), Resample = pr.GetValue(resample), Jump = pr.GetValue(jump),
                Steps = CommandInputs.Positive(pr.GetValue(steps), "--steps"), Count = CommandInputs.Positive(pr.GetValue(n), "--n"),
                BatchSize = pr.GetValue(batch), Seed = seed, Device = device, OutDir = outDir,
            };
            if (cataloguePath is not null)
            {
                var job = new CatalogueJob
                {
                    Command = "inpaint", OutDir = pr.GetValue(output)!, Catalogue = Catalogue.Open(cataloguePath), Masks = pr.GetValue(mask) is { } m ? Catalogue.Open(m) : null,
                    Shard = CatalogueOptions.ResolveShard(pr, shard), Seed = CliContext.Seed(pr), Settings = CatalogueOptions.Settings(pr),
                };
                return CatalogueOptions.Report(job.Run(o => InpaintPipeline.Run(Request(o.Observation!, o.Seed, o.OutDir)),
                    m => Console.Error.WriteLine(m)), job.OutDir);
            }
            using var input = ObservationInput.Load(pr.GetValue(image)!, pr.GetValue(mask), m => Console.Error.WriteLine("notice: " + m));
            var result = InpaintPipeline.Run(Request(input, CliContext.Seed(pr), pr.GetValue(output)!), m => Console.Error.WriteLine(m));
            Console.WriteLine($"wrote {result.Files.Count} files to {result.OutDir}");
            return 0;
        });
        return cmd;
    }
}
