using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// <c>scorpio transfer</c> as a library call: SDEdit domain transfer of an image into the prior's domain (noise to
/// t = fraction T, then the reverse process), N samples; writes samples.fits, median.fits, summary.json and preview.png.
/// </summary>
public static class TransferPipeline
{
    public static PosteriorResult Run(TransferRequest r, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var prior = r.Prior;
        var image = r.Image;
        if (!image.Shape.SequenceEqual(prior.Shape))
            throw new UserInputException($"{image.Source} is {string.Join("x", image.Shape)} but the prior was trained on {string.Join("x", prior.Shape)} images: " +
                $"transfer works on the prior's image size; cut or resample the input to {prior.Shape[1]}x{prior.Shape[2]}");
        if (image.HasMissing) throw new UserInputException($"{image.Source} has {image.MaskedCount} NaN or masked pixels; SDEdit needs a complete image (use scorpio inpaint first)");
        if (r.Count < 1) throw new UserInputException($"--n must be at least 1 (got {r.Count})");
        var sampler = SamplerRegistry.Get(r.Sampler);
        var options = new SamplerOptions { Steps = r.Steps, Grid = r.Grid };
        double t0 = PosteriorGrids.TimeOfFraction(prior.Sde, r.Fraction, "--t");
        var dir = PosteriorFiles.PrepareDirectory(r.OutDir);
        log?.Invoke($"SDEdit: noising to t = {t0:g4} ({r.Fraction:g3} T), then {sampler.Name}");

        using var values = image.Values.Unsqueeze(0).To(DType.Float32);
        using var physical = prior.Units.FromPhysical(values);
        using var input = physical.To(r.Device);
        int batch = Math.Max(1, r.BatchSize ?? r.Count);
        var sampling = Stopwatch.StartNew();
        using var z = PosteriorBatches.Draw(r.Count, batch, r.Seed, r.Device, (n, rng) =>
        {
            using var expanded = input.Expand([n, .. prior.Shape]).Contiguous();
            return SdeditTransfer.Transfer(sampler, prior.Score, prior.Sde, expanded, r.Fraction, rng, options);
        });
        using var samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float32);
        double seconds = sampling.Elapsed.TotalSeconds;
        using var median = PosteriorSummary.MedianOf(samples);
        var files = PosteriorFiles.WriteSamples(dir, samples, median, image.Header, image.Values, "transferred");
        var json = new JsonObject
        {
            ["command"] = "transfer",
            ["scorpio_version"] = Training.RunConfig.CurrentVersion,
            ["seed"] = r.Seed,
            ["prior"] = prior.Description,
            ["sde"] = prior.Sde.Name,
            ["image"] = image.Source,
            ["t_fraction"] = r.Fraction,
            ["t_start"] = t0,
            ["sampler"] = sampler.Name,
            ["steps"] = r.Steps ?? sampler.DefaultSteps,
            ["grid"] = r.Grid ?? sampler.DefaultGrid,
            ["samples"] = r.Count,
            ["timings_seconds"] = new JsonObject { ["sampling"] = seconds, ["total"] = clock.Elapsed.TotalSeconds },
            ["device"] = r.Device.ToString(),
        };
        return PosteriorFiles.Finish(dir, files, json);
    }
}
