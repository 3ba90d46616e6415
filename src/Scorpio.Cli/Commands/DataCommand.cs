using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;

namespace Scorpio.Cli;

/// <summary>`scorpio data ...`: dataset tools (cutouts, ramp differences, file statistics). Logic lives in Scorpio.Astro.DataTools.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "Dataset tools: cut stamps, difference up-the-ramp reads, summarise FITS/.npy files.");
        data.Subcommands.Add(Cutouts());
        data.Subcommands.Add(RampDiffs());
        data.Subcommands.Add(Stats());
        data.Subcommands.Add(PreviewCommand.Create());
        return data;
    }

    private static Command Cutouts()
    {
        var image = new Option<string>("--image") { Description = "Input image (FITS or .npy), 2-D.", Required = true };
        var hdu = new Option<int?>("--hdu") { Description = "FITS HDU index (0-based); default the first HDU with pixels." };
        var size = new Option<int>("--size") { Description = "Stamp side in pixels.", Required = true };
        var grid = new Option<bool>("--grid") { Description = "Stamps on a regular non-overlapping grid." };
        var sources = new Option<bool>("--sources") { Description = "Stamps centred on detected sources (threshold + local maxima), brightest first." };
        var maxFlux = new Option<double?>("--max-flux") { Description = "Keep only stamps whose maximum is below this value (image units): noise-only cutouts." };
        var abs = new Option<bool>("--abs") { Description = "Apply --max-flux to |value| instead of value." };
        var threshold = new Option<double>("--threshold") { Description = "Source detection threshold in robust sigma (with --sources).", DefaultValueFactory = _ => 5.0 };
        var n = new Option<int?>("--n") { Description = "Number of stamps (random mode: default 100; grid/sources: at most this many)." };
        var output = new Option<string>("--out") { Description = "Output FITS: (N, size, size) cube + CORNERS extension.", Required = true };
        var cmd = new Command("cutouts", "Cut square stamps (random by default, --grid or --sources) into a FITS cube.");
        foreach (var o in new Option[] { image, hdu, size, grid, sources, maxFlux, abs, threshold, n, output }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            if (p.GetValue(grid) && p.GetValue(sources)) throw new UserInputException("give at most one of --grid and --sources");
            var mode = p.GetValue(grid) ? CutoutMode.Grid : p.GetValue(sources) ? CutoutMode.Sources : CutoutMode.Random;
            var set = DatasetFiles.WriteCutouts(p.GetValue(image)!, p.GetValue(output)!, p.GetValue(size), mode, p.GetValue(maxFlux),
                p.GetValue(abs), p.GetValue(n), p.GetValue(GlobalOptions.Seed), p.GetValue(hdu), p.GetValue(threshold));
            Console.WriteLine($"wrote {set.Count} stamps of {p.GetValue(size)}x{p.GetValue(size)} ({mode.ToString().ToLowerInvariant()}, {set.Rejected} rejected) to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command RampDiffs()
    {
        var file = new Option<string>("--file") { Description = "Multi-read file: HST ima (SCI per read) or an (N,H,W)/(Nint,Nread,H,W) cube (FITS or .npy).", Required = true };
        var output = new Option<string>("--out") { Description = "Output FITS cube of consecutive read differences, time order.", Required = true };
        var cmd = new Command("ramp-diffs", "Differences of consecutive up-the-ramp reads (real read noise for noise models).");
        cmd.Options.Add(file);
        cmd.Options.Add(output);
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var r = DatasetFiles.WriteRampDiffs(p.GetValue(file)!, p.GetValue(output)!);
            Console.WriteLine($"wrote {DatasetFiles.Describe(r)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Stats()
    {
        var file = new Argument<string>("file") { Description = "FITS or .npy file." };
        var cmd = new Command("stats", "Per HDU: index, EXTNAME, shape, BITPIX/dtype, min, max, mean, median, NaN count.");
        cmd.Arguments.Add(file);
        cmd.SetAction(p =>
        {
            Console.Write(DataStats.Format(DataStats.Describe(p.GetValue(file)!)));
            return 0;
        });
        return cmd;
    }
}
