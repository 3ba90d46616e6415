using System.CommandLine;
using System.Globalization;
using Scorpio.Astro;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Evaluation;
using Scorpio.Metrics.Posterior;

namespace Scorpio.Cli;

/// <summary>`scorpio evaluate-posterior`: posteriors against known truths (PSNR/SSIM, coverage, residual chi^2, variance ratio, TARP). Logic lives in Scorpio.Metrics.</summary>
internal static class EvaluatePosteriorCommand
{
    public static Command Create()
    {
        var truth = new Option<string[]>("--truth")
        {
            Description = "Truth image(s): one per --posterior folder (repeat the option), or one stack whose leading axis runs over the folders.",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var posterior = new Option<string[]>("--posterior")
        {
            Description = "Posterior folder(s) written by `scorpio posterior` (samples.fits, mean.fits, ...). Two or more enable TARP.",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "Output folder for metrics.json, report.html and figures/.", Required = true };
        var prior = new Option<string?>("--prior") { Description = "Prior samples (N,H,W) or (N,C,H,W) from the unconditional model, for the variance ratio." };
        var aperture = new Option<double>("--aperture-radius") { Description = "Variance-ratio aperture radius in px (clipped to the image).", DefaultValueFactory = _ => 30.0 };
        var levels = new Option<string>("--levels") { Description = "Comma-separated credible levels for per-pixel coverage.", DefaultValueFactory = _ => "0.5,0.68,0.9,0.95" };
        var sigma = new Option<double?>("--noise-sigma") { Description = "Observation noise sigma (image units) for the residual chi^2; default a robust estimate from the residuals." };
        var range = new Option<double?>("--data-range") { Description = "Data range L for PSNR/SSIM (default: truth max - min)." };
        var bins = new Option<int?>("--tarp-bins") { Description = "TARP credibility bins (default max(2, folders / 10))." };

        var cmd = new Command("evaluate-posterior", "Check posterior samples against truths: PSNR/SSIM of mean and median (beside the observation), per-pixel credible-interval coverage, residual chi^2/dof, variance ratio, TARP over several posteriors.");
        foreach (var o in new Option[] { truth, posterior, output, prior, aperture, levels, sigma, range, bins }) cmd.Options.Add(o);
        cmd.MapParameters(("runs", posterior), ("truths", truth), ("alphaBins", bins));
        cmd.SetAction(p =>
        {
            OutputGuard.Folder(p, "--out", p.GetValue(output), ["metrics.json", "report.html"]);
            var dirs = p.GetValue(posterior)!;
            var folders = dirs.Select(PosteriorFolder.Read).ToList();
            var truths = ReadTruths(p.GetValue(truth)!, folders.Count);
            var levelValues = CommandInputs.Split(p.GetValue(levels)!).Select(s =>
                double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v < 1
                    ? v : throw new UserInputException($"--levels: '{s}' is not a level between 0 and 1")).ToArray();
            PosteriorSamples? priorSamples = p.GetValue(prior) is { } pp ? new PosteriorSamples(ImageSetReader.Read(pp, "--prior")) : null;
            var options = new PosteriorEvaluationOptions
            {
                ApertureRadius = p.GetValue(aperture), Levels = levelValues, NoiseSigma = p.GetValue(sigma),
                DataRange = p.GetValue(range), Seed = p.GetValue(GlobalOptions.Seed), TarpBins = p.GetValue(bins),
            };
            string outDir = p.GetValue(output)!;
            PosteriorEvaluator.Run(folders, truths, priorSamples, outDir, options, msg => Console.Error.WriteLine(msg));
            Console.WriteLine($"wrote {Path.Combine(outDir, "metrics.json")} and {Path.Combine(outDir, "report.html")}");
            return 0;
        });
        return cmd;
    }

    private static List<ImageData> ReadTruths(string[] paths, int folders)
    {
        if (paths.Length == folders) return paths.Select(ImageSetReader.ReadFile).ToList();
        if (paths.Length == 1)
        {
            var stack = ImageSetReader.ReadFile(paths[0]);
            if (stack.Rank >= 3 && stack.Shape[0] == folders)
            {
                int size = (int)(stack.Length / folders);
                var shape = stack.Shape[1..];
                return Enumerable.Range(0, folders).Select(i => new ImageData(stack.Data[(i * size)..((i + 1) * size)], shape)).ToList();
            }
            throw new UserInputException($"--truth: {paths[0]} has shape ({string.Join(",", stack.Shape)}) but {folders} posterior folders were given; give one --truth per folder or a stack with {folders} images");
        }
        throw new UserInputException($"--truth: {paths.Length} truth files for {folders} posterior folders; give one per folder");
    }
}
