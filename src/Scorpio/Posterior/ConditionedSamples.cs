using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// What inpainting and SDEdit transfer share: one image of the prior's shape in, N samples drawn in batches in the prior's
/// units (sample k from (seed, k), <see cref="PosteriorBatches"/>), back to physical units, and samples.fits, median.fits,
/// preview.png and summary.json written (<see cref="PosteriorFiles"/>).
/// </summary>
internal static class ConditionedSamples
{
    /// <summary>The settings both commands check, named as the library calls them (the CLI maps them to flags).</summary>
    public static void Check(PriorModel prior, ObservationInput image, int count, int? batchSize, string purpose, string sizeAdvice)
    {
        if (!image.Shape.SequenceEqual(prior.Shape))
            throw new UserInputException($"{image.Source} is {string.Join("x", image.Shape)} but the prior was trained on {string.Join("x", prior.Shape)} images: " +
                $"{purpose} works on the prior's image size; {sizeAdvice}");
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        if (batchSize is int b && b < 1) throw new InvalidSettingException("batchSize", $"must be at least 1 (got {b})");
    }

    /// <summary>
    /// Draws <paramref name="count"/> samples with <paramref name="draw"/>(image in prior units (1, C, H, W) on the device, n, noise)
    /// and writes the products; <paramref name="settings"/> are the command's own summary keys.
    /// </summary>
    public static PosteriorResult Run(string command, string product, PriorModel prior, ObservationInput image, int count, int? batchSize, long seed,
        Device device, string outDir, JsonObject settings, Func<Tensor, int, SampleNoise, Tensor> draw, Stopwatch clock)
    {
        var dir = PosteriorFiles.PrepareDirectory(outDir);
        using var values = image.Values.Unsqueeze(0).To(DType.Float32);
        using var normalised = prior.Units.FromPhysical(values);
        using var input = normalised.To(device);
        var sampling = Stopwatch.StartNew();
        using var z = PosteriorBatches.Draw(count, Math.Max(1, batchSize ?? count), seed, device, (n, noise) => draw(input, n, noise));
        using var samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float32);
        PosteriorFiles.CheckFinite(samples, $"{command} failed", dir);
        double seconds = sampling.Elapsed.TotalSeconds;
        using var median = PosteriorSummary.MedianOf(samples);
        var files = PosteriorFiles.WriteSamples(dir, samples, median, image.Header, image.Values, product);
        var json = new JsonObject
        {
            ["command"] = command,
            ["scorpio_version"] = Training.RunConfig.CurrentVersion,
            ["seed"] = seed,
            ["prior"] = prior.Description,
            ["sde"] = prior.Sde.Name,
            ["image"] = image.Source,
        };
        foreach (var (key, value) in settings) json[key] = value?.DeepClone();
        json["samples"] = count;
        json["timings_seconds"] = new JsonObject { ["sampling"] = seconds, ["total"] = clock.Elapsed.TotalSeconds };
        json["device"] = device.ToString();
        return PosteriorFiles.Finish(dir, files, json);
    }
}
