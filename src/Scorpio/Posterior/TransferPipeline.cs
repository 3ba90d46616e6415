using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Sampling;

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
        ConditionedSamples.Check(prior, image, r.Count, r.BatchSize, "transfer", $"cut or resample the input to {prior.Shape[1]}x{prior.Shape[2]}");
        if (image.HasMissing) throw new UserInputException($"{image.Source} has {image.MaskedCount} NaN or masked pixels; SDEdit needs a complete image (use scorpio inpaint first)");
        var sampler = SamplerRegistry.Get(r.Sampler);
        var options = new SamplerOptions { Steps = r.Steps, Grid = r.Grid };
        double t0 = PosteriorGrids.TimeOfFraction(prior.Sde, r.Fraction, "fraction");
        log?.Invoke($"SDEdit: noising to t = {t0:g4} ({r.Fraction:g3} T), then {sampler.Name}");
        var grid = SamplerRegistry.Grid(sampler, prior.Sde, options);
        var settings = new JsonObject
        {
            ["t_fraction"] = r.Fraction,
            ["t_start"] = t0,
            ["sampler"] = sampler.Name,
            ["grid"] = SamplerRegistry.GridKind(sampler, prior.Sde, options),
            ["grid_points"] = PosteriorGrids.Truncate(grid, t0).Length,
        };
        return ConditionedSamples.Run("transfer", "transferred", prior, image, r.Count, r.BatchSize, r.Seed, r.Device, r.OutDir, settings, (input, n, noise) =>
        {
            using var expanded = input.Expand([n, .. prior.Shape]).Contiguous();
            return SdeditTransfer.Transfer(sampler, prior.Score, prior.Sde, expanded, r.Fraction, noise, options);
        }, clock);
    }
}
