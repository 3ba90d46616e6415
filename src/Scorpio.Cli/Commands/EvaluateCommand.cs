using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Evaluation;
using Scorpio.Metrics.Photometry;

namespace Scorpio.Cli;

/// <summary>`scorpio evaluate`: generated vs real image sets (SGD, Frechet/KID, PQMass, histograms, objects, nearest neighbours). Logic lives in Scorpio.Metrics.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var real = new Option<string>("--real") { Description = "Real images: a stacked FITS/.npy file (N,H,W) or (N,C,H,W), or a folder with one image per file.", Required = true };
        var generated = new Option<string>("--generated") { Description = "Generated images, same layout and image shape as --real.", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder for metrics.json, report.html and figures/.", Required = true };
        var metrics = new Option<string>("--metrics")
        {
            Description = $"Comma-separated metric groups: {string.Join(",", GeneratedEvaluationOptions.AllMetrics)} (default: all).",
            DefaultValueFactory = _ => string.Join(",", GeneratedEvaluationOptions.AllMetrics),
        };
        var aperture = new Option<double>("--aperture-radius") { Description = "SGD aperture radius in px (reference: 6).", DefaultValueFactory = _ => 6.0 };
        var corner = new Option<int?>("--corner-size") { Description = "Corner square size in px for the background median (default 20, or a quarter of the shorter side for small stamps)." };
        var zeroPoint = new Option<double>("--zero-point") { Description = "Magnitude zero point (22.5 for nanomaggies).", DefaultValueFactory = _ => 22.5 };
        var pixelScale = new Option<double>("--pixel-scale") { Description = "Arcsec per pixel for sizes (0.262 = DESI Legacy Survey; 1 keeps px).", DefaultValueFactory = _ => 0.262 };
        var size = new Option<string>("--size-measure")
        {
            Description = "Size in the SGD: curve-of-growth (true half-light radius) or half-central-median (the reference code's quantity).",
            DefaultValueFactory = _ => "curve-of-growth",
        };
        var sizeBand = new Option<int>("--size-band") { Description = "Band for size, morphology and object detection (reference: 0 = g).", DefaultValueFactory = _ => 0 };
        var bands = new Option<string?>("--band-names") { Description = "Comma-separated band names (default g,r,z for 3 bands)." };
        var refs = new Option<int>("--pqm-refs") { Description = "PQMass reference points (Voronoi cells).", DefaultValueFactory = _ => 100 };
        var tess = new Option<int>("--pqm-tessellations") { Description = "PQMass re-tessellations.", DefaultValueFactory = _ => 20 };
        var perms = new Option<int>("--pqm-permutations") { Description = "PQMass label permutations per tessellation (0 = none).", DefaultValueFactory = _ => 0 };
        var neighbours = new Option<int>("--neighbours") { Description = "Nearest training images shown per generated image.", DefaultValueFactory = _ => 5 };
        var rows = new Option<int>("--neighbour-rows") { Description = "Generated images in the nearest-neighbour figure.", DefaultValueFactory = _ => 8 };
        var detect = new Option<double>("--detect-sigma") { Description = "Object detection threshold in robust sigmas above the median.", DefaultValueFactory = _ => 3.0 };
        var minArea = new Option<int>("--detect-min-area") { Description = "Minimum object area in px.", DefaultValueFactory = _ => 5 };

        var cmd = new Command("evaluate", "Compare generated with real images: Synthetic Galaxy Distance, Frechet distance/KID (morphology and random-conv features), FD-ResNet18 (ImageNet ResNet18 features; not FID, which is Inception-v3), PQMass, pixel and object statistics, nearest neighbours; each beside a real-vs-real baseline.");
        foreach (var o in new Option[] { real, generated, output, metrics, aperture, corner, zeroPoint, pixelScale, size, sizeBand, bands, refs, tess, perms, neighbours, rows, detect, minArea })
            cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            OutputGuard.Folder(p, "--out", p.GetValue(output), ["metrics.json", "report.html"]);
            var sizeMeasure = p.GetValue(size) switch
            {
                "curve-of-growth" => SizeMeasure.CurveOfGrowth,
                "half-central-median" => SizeMeasure.HalfCentralMedian,
                var s => throw new UserInputException($"--size-measure: unknown value '{s}'; use curve-of-growth or half-central-median"),
            };
            var options = new GeneratedEvaluationOptions
            {
                Metrics = CommandInputs.Split(p.GetValue(metrics)!),
                Seed = p.GetValue(GlobalOptions.Seed),
                Sgd = new SgdOptions
                {
                    ApertureRadius = p.GetValue(aperture), CornerSize = p.GetValue(corner), ZeroPoint = p.GetValue(zeroPoint),
                    PixelScale = p.GetValue(pixelScale), Size = sizeMeasure, SizeBand = p.GetValue(sizeBand),
                    BandNames = p.GetValue(bands) is { } b ? CommandInputs.Split(b) : null,
                },
                PqmRefs = p.GetValue(refs), PqmTessellations = p.GetValue(tess), PqmPermutations = p.GetValue(perms),
                NeighbourCount = p.GetValue(neighbours), NeighbourRows = p.GetValue(rows),
                DetectSigma = p.GetValue(detect), DetectMinArea = p.GetValue(minArea),
            };
            var realSet = ImageSetReader.Read(p.GetValue(real)!, "--real");
            var genSet = ImageSetReader.Read(p.GetValue(generated)!, "--generated");
            string outDir = p.GetValue(output)!;
            GeneratedSetEvaluator.Run(realSet, genSet, outDir, options, msg => Console.Error.WriteLine(msg));
            Console.WriteLine($"wrote {Path.Combine(outDir, "metrics.json")} and {Path.Combine(outDir, "report.html")}");
            return 0;
        });
        return cmd;
    }
}
