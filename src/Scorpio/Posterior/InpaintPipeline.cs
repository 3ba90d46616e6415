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
        ConditionedSamples.Check(prior, image, r.Count, r.BatchSize, "inpainting", $"cut {prior.Shape[1]}x{prior.Shape[2]} stamps around the region to fill");
        if (!image.HasMissing) throw new UserInputException($"{image.Source}: no pixel is masked (mask 0 or NaN), so there is nothing to inpaint");
        if (!(r.Start > 0 && r.Start <= 1)) throw new InvalidSettingException("start", $"must be in (0, 1], a fraction of the diffusion time (0.95 = step 950 of 1000); got {r.Start}");
        if (r.Steps < 1) throw new InvalidSettingException("steps", $"must be at least 1 (got {r.Steps})");
        log?.Invoke($"inpainting {image.MaskedCount} of {image.Values.Numel} pixels from t = {r.Start:g3} T, {r.Steps} steps, resample {r.Resample} (jump {r.Jump})");

        using var mask = image.Mask.To(r.Device, DType.Float32);
        var grid = PosteriorGrids.Uniform(prior.Sde, r.Start * prior.Sde.T, r.Steps);
        var settings = new JsonObject
        {
            ["masked_pixels"] = image.MaskedCount,
            ["nan_pixels"] = image.NanCount,
            ["method"] = r.Resample > 1 ? "repaint" : "replacement",
            ["start_fraction"] = r.Start,
            ["start_time"] = grid[0],
            ["steps"] = grid.Length,
            ["resample"] = r.Resample,
            ["jump"] = r.Jump,
        };
        return ConditionedSamples.Run("inpaint", "inpainted", prior, image, r.Count, r.BatchSize, r.Seed, r.Device, r.OutDir, settings,
            (known, n, noise) => Inpainting.Sample(prior.Score, prior.Sde, grid, known, mask, n, r.Resample, noise, jump: r.Jump), clock);
    }
}
