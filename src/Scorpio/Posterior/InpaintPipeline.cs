using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// <c>scorpio inpaint</c> as a library call: fills the masked pixels of an image with the prior (replacement, or RePaint
/// with --resample), N samples, and writes samples.fits, median.fits, summary.json and preview.png.
/// </summary>
public static class InpaintPipeline
{
    public static PosteriorResult Run(InpaintRequest r, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var prior = r.Prior;
        var image = r.Image;
        if (!image.Shape.SequenceEqual(prior.Shape))
            throw new UserInputException($"{image.Source} is {string.Join("x", image.Shape)} but the prior was trained on {string.Join("x", prior.Shape)} images: " +
                $"inpainting works on the prior's image size; cut {prior.Shape[1]}x{prior.Shape[2]} stamps around the region to fill");
        if (!image.HasMissing) throw new UserInputException($"{image.Source}: no pixel is masked (mask 0 or NaN), so there is nothing to inpaint");
        if (r.Count < 1) throw new UserInputException($"--n must be at least 1 (got {r.Count})");
        if (!(r.Start > 0 && r.Start <= 1)) throw new UserInputException($"--start must be in (0, 1], a fraction of the diffusion time (0.95 = step 950 of 1000); got {r.Start}");
        var dir = PosteriorFiles.PrepareDirectory(r.OutDir);
        log?.Invoke($"inpainting {image.MaskedCount} of {image.Values.Numel} pixels from t = {r.Start:g3} T, {r.Steps} steps, resample {r.Resample} (jump {r.Jump})");

        using var values = image.Values.Unsqueeze(0).To(DType.Float32);
        using var physical = prior.Units.FromPhysical(values);
        using var known = physical.To(r.Device);
        using var mask = image.Mask.To(r.Device, DType.Float32);
        var grid = PosteriorGrids.Uniform(prior.Sde, r.Start * prior.Sde.T, r.Steps);
        int batch = Math.Max(1, r.BatchSize ?? r.Count);
        var sampling = Stopwatch.StartNew();
        using var z = PosteriorBatches.Draw(r.Count, batch, r.Seed, r.Device,
            (n, rng) => Inpainting.Sample(prior.Score, prior.Sde, grid, known, mask, n, r.Resample, rng, jump: r.Jump));
        using var samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float32);
        double seconds = sampling.Elapsed.TotalSeconds;
        using var median = PosteriorSummary.MedianOf(samples);
        var files = PosteriorFiles.WriteSamples(dir, samples, median, image.Header, image.Values, "inpainted");
        var json = new JsonObject
        {
            ["command"] = "inpaint",
            ["scorpio_version"] = Training.RunConfig.CurrentVersion,
            ["seed"] = r.Seed,
            ["prior"] = prior.Description,
            ["sde"] = prior.Sde.Name,
            ["image"] = image.Source,
            ["masked_pixels"] = image.MaskedCount,
            ["nan_pixels"] = image.NanCount,
            ["method"] = r.Resample > 1 ? "repaint" : "replacement",
            ["start_fraction"] = r.Start,
            ["start_time"] = grid[0],
            ["steps"] = grid.Length,
            ["resample"] = r.Resample,
            ["jump"] = r.Jump,
            ["samples"] = r.Count,
            ["timings_seconds"] = new JsonObject { ["sampling"] = seconds, ["total"] = clock.Elapsed.TotalSeconds },
            ["device"] = r.Device.ToString(),
        };
        return PosteriorFiles.Finish(dir, files, json);
    }
}
