using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// <c>scorpio posterior</c> as a library call: runs a registered posterior method (<see cref="PosteriorMethods"/>) on a
/// built <see cref="InverseProblem"/> in batches (sample k's draws depend only on the seed and k), draws prior samples with
/// the method's sampler for the variance ratio, and writes the products (<see cref="PosteriorWriter"/>) and summary.json,
/// which records the problem and the grid, steps and settings that actually ran.
/// </summary>
public static class PosteriorPipeline
{
    /// <summary>The registered method names.</summary>
    public static IReadOnlyList<string> Methods => PosteriorMethods.Names;

    /// <summary>
    /// The checks of a run's settings that need no file (front ends call it before loading a prior, so a typo costs nothing);
    /// errors name the setting: method, count, priorCount, batchSize, apertureRadius, zeta, steps, cgIterations.
    /// </summary>
    public static void CheckSettings(string method, PosteriorSettings settings, int count, int priorCount, int? batchSize, double apertureRadius)
    {
        if (!PosteriorMethods.Names.Contains(method)) PosteriorMethods.Create(method, settings);
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        if (priorCount < 0) throw new InvalidSettingException("priorCount", $"must be >= 0 (got {priorCount}; 0 skips the variance-ratio map)");
        if (batchSize is int b && b < 1) throw new InvalidSettingException("batchSize", $"must be at least 1 (got {b})");
        if (!(apertureRadius > 0)) throw new InvalidSettingException("apertureRadius", $"must be a positive radius in prior pixels (got {apertureRadius})");
        if (!(settings.Zeta >= 0) || !double.IsFinite(settings.Zeta))
            throw new InvalidSettingException("zeta", $"must be >= 0 (got {settings.Zeta}); the default {DpsSampler.DefaultZeta} suits 256x256 images, 0.3 small stamps");
        if (settings.Steps is int k && k < 1) throw new InvalidSettingException("steps", $"must be at least 1 (got {k})");
        if (settings.CgIterations is int cg && cg < 0) throw new InvalidSettingException("cgIterations", $"must be >= 0 (got {cg})");
        settings.PnpDm.Check();
    }

    public static PosteriorResult Run(PosteriorRequest r, Action<string>? log = null, Action<SamplerStep>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var problem = r.Problem;
        string methodName = r.Method ?? PosteriorMethods.DefaultFor(learnedNoise: problem.NoiseModel is not null);
        CheckSettings(methodName, r.Settings, r.Count, r.PriorCount, r.BatchSize, r.ApertureRadius);
        var prior = problem.Prior;
        var method = PosteriorMethods.Create(methodName, r.Settings);
        try
        {
            var ran = method.Prepare(problem, log);
            var dir = PosteriorFiles.PrepareDirectory(r.OutDir);
            log?.Invoke($"forward model: {problem.PriorOperator.Name}; likelihood: {(problem.NoiseModel is not null ? "SLIC (" + problem.NoiseModelDescription + ")" : method.Name == "dps" ? "DPS residual" : "Gaussian " + problem.Noise!.Describe())}");
            int batch = Math.Max(1, r.BatchSize ?? r.Count);

            var sampling = Stopwatch.StartNew();
            using var z = PosteriorBatches.Draw(r.Count, batch, r.Seed, r.Device, (n, noise) => method.Sample(problem, n, noise, progress));
            double sampleSeconds = sampling.Elapsed.TotalSeconds;
            using var samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float32);
            PosteriorFiles.CheckFinite(samples, "posterior sampling failed", dir);
            log?.Invoke($"drew {r.Count} posterior samples in {sampleSeconds:F1} s");

            sampling.Restart();
            var (priorSampler, priorOptions) = method.PriorSampling;
            using var priorZ = r.PriorCount > 1
                ? PosteriorBatches.Draw(r.PriorCount, batch, r.Seed, r.Device,
                    (n, noise) => SamplerRegistry.Generate(priorSampler, prior.Score, prior.Sde, [n, .. prior.Shape], noise, priorOptions, device: r.Device), stream: 1)
                : null;
            using var priorSamples = priorZ is null ? null : prior.Units.ToPhysical(priorZ).To(Device.CPU);
            if (priorSamples is not null) PosteriorFiles.CheckFinite(priorSamples, "prior sampling (for the variance ratio) failed", dir);
            double priorSeconds = sampling.Elapsed.TotalSeconds;

            var (files, summary) = PosteriorWriter.Write(dir, problem, samples, priorSamples, r.ApertureRadius);
            using (summary)
            {
                var json = new JsonObject
                {
                    ["command"] = "posterior",
                    ["scorpio_version"] = Training.RunConfig.CurrentVersion,
                    ["seed"] = r.Seed,
                    ["seed_rule"] = "sample k draws from generators seeded by (seed, k): the same whatever the batch size",
                    ["prior"] = prior.Description,
                    ["sde"] = prior.Sde.Name,
                    ["problem"] = problem.Describe(),
                    ["posterior_method"] = ran,
                    ["posterior_diagnostics"] = method.Diagnostics(),
                    ["samples"] = r.Count,
                    ["batch"] = batch,
                    ["prior_samples"] = r.PriorCount > 1 ? r.PriorCount : 0,
                    ["prior_sampler"] = r.PriorCount > 1 ? $"{priorSampler.Name}, {SamplerRegistry.Grid(priorSampler, prior.Sde, priorOptions).Length} points {SamplerRegistry.GridKind(priorSampler, prior.Sde, priorOptions)}" : null,
                    ["variance_ratio_aperture_radius"] = summary.ApertureRadius,
                    ["variance_ratio_aperture_mean"] = PosteriorFiles.Number(summary.ApertureVarianceRatio),
                    ["residual_chi2_per_dof"] = PosteriorFiles.Number(summary.ChiSquaredPerDof),
                    ["residual_rms"] = PosteriorFiles.Number(summary.ResidualRms),
                    ["timings_seconds"] = new JsonObject
                    {
                        ["posterior_sampling"] = sampleSeconds,
                        ["prior_sampling"] = priorSeconds,
                        ["total"] = clock.Elapsed.TotalSeconds,
                    },
                    ["device"] = r.Device.ToString(),
                };
                return PosteriorFiles.Finish(dir, files, json);
            }
        }
        finally
        {
            (method as IDisposable)?.Dispose();
        }
    }
}
