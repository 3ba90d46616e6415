using System.CommandLine;
using System.Globalization;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Astro.Npy;
using Scorpio.Data;
using Scorpio.Models;

namespace Scorpio.Cli;

/// <summary>`scorpio denoise`: Tweedie's one-step posterior mean under a prior, for Gaussian noise of known sigma.</summary>
internal static class DenoiseCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Prior run folder (scorpio train or scorpio import).", Required = true };
        var image = new Option<string>("--image") { Description = "Noisy image(s), FITS or .npy, in the prior's physical units: (H, W), (C, H, W) or a stack (N, [C,] H, W).", Required = true };
        var sigma = new Option<double>("--sigma") { Description = "Standard deviation of the Gaussian noise, in the image's units.", Required = true };
        var batch = new Option<int>("--batch") { Description = "Images denoised at once (memory).", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "Denoised image(s), same shape; FITS with the input header kept (or .npy).", Required = true };
        var png = new Option<string?>("--png") { Description = "Also write a PNG preview: noisy (top) and denoised (bottom)." };
        var cmd = new Command("denoise", "Tweedie's one-step denoiser: E[x | y] = y + sigma^2 grad log p_sigma(y), the posterior mean of the clean image under the\n" +
            "prior for y = x + sigma n, from one network evaluation (no sampling; for uncertainties use scorpio posterior). Example:\n" +
            "  scorpio denoise --model runs/prior --image noisy.fits --sigma 0.02 --out denoised.fits --png denoised.png")
        {
            model, image, sigma, batch, output, png,
        };
        cmd.MapParameters(("batchSize", batch));
        cmd.SetAction(pr =>
        {
            double s = pr.GetValue(sigma);
            if (!(s > 0) || !double.IsFinite(s)) throw new Astro.InvalidSettingException("sigma", $"must be a positive number (got {s.ToString(CultureInfo.InvariantCulture)})");
            var (noisy, header) = ImageInputs.ReadWithHeader(pr.GetValue(image)!, "image");
            using var prior = ScoreModel.Load(pr.GetValue(model)!, CliContext.Device(pr));
            var denoised = TweedieDenoiser.DenoiseImage(prior, noisy, s, pr.GetValue(batch));
            string outPath = pr.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            if (outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) NpyFile.Write(outPath, denoised);
            else
            {
                header ??= new FitsHeader();
                header.AddHistory($"scorpio denoise: Tweedie one-step posterior mean, sigma {s.ToString("G6", CultureInfo.InvariantCulture)}, model {Path.GetFullPath(pr.GetValue(model)!)}");
                FitsFile.Write(outPath, denoised, header);
            }
            if (pr.GetValue(png) is { } pngPath)
            {
                int planes = Math.Min(noisy.PlaneCount, 4);
                var tiles = Enumerable.Range(0, planes).Select(noisy.Plane).Concat(Enumerable.Range(0, planes).Select(denoised.Plane)).ToList();
                var labels = Enumerable.Range(0, planes).Select(i => $"noisy {i}").Concat(Enumerable.Range(0, planes).Select(i => $"denoised {i}")).ToList();
                Preview.SaveGrid(pngPath, tiles, Stretch.Asinh(), labels, columns: planes);
            }
            Console.WriteLine($"wrote {outPath} ({string.Join("x", denoised.Shape)}, Tweedie one-step denoiser at sigma {s.ToString("G6", CultureInfo.InvariantCulture)})" +
                (pr.GetValue(png) is { } p ? $" and {p}" : ""));
            return 0;
        });
        return cmd;
    }
}
