using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Imaging;

namespace Scorpio.Cli;

/// <summary>`scorpio data preview`: a stretched PNG of a FITS or .npy image (planes of a cube as a grid).</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--file") { Description = "FITS or .npy image, (H, W), (N, H, W) or (N, C, H, W).", Required = true };
        var hdu = new Option<int?>("--hdu") { Description = "FITS HDU index (0-based); default the first HDU with pixels." };
        var stretch = new Option<string>("--stretch") { Description = "asinh, percentile, zscale, log or linear.", DefaultValueFactory = _ => "asinh" };
        var max = new Option<int>("--max-planes") { Description = "At most this many planes of a cube in the grid.", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var cmd = new Command("preview", "Write a stretched PNG preview of an image or of the planes of a cube.") { file, hdu, stretch, max, output };
        cmd.SetAction(pr =>
        {
            OutputGuard.File(pr, "--out", pr.GetValue(output));
            string path = pr.GetValue(file)!;
            var image = DatasetFiles.ReadImage(path, pr.GetValue(hdu));
            var s = ParseStretch(pr.GetValue(stretch)!);
            string outPath = pr.GetValue(output)!;
            if (image.Rank <= 2) Preview.Save(outPath, image, s);
            else
            {
                int n = Math.Min(image.PlaneCount, Math.Max(1, pr.GetValue(max)));
                var planes = Enumerable.Range(0, n).Select(image.Plane).ToList();
                Preview.SaveGrid(outPath, planes, s, Enumerable.Range(0, n).Select(i => $"{i}").ToList(), columns: Math.Min(n, 4));
            }
            Console.WriteLine($"wrote {outPath} ({string.Join("x", image.Shape)})");
            return 0;
        });
        return cmd;
    }

    private static Stretch ParseStretch(string s) => s switch
    {
        "asinh" => Stretch.Asinh(),
        "percentile" => Stretch.Percentile(),
        "zscale" => Stretch.ZScale(),
        "log" => Stretch.Log(),
        "linear" => Stretch.Linear(),
        _ => throw new UserInputException($"--stretch '{s}' is not known: use asinh, percentile, zscale, log or linear"),
    };
}
