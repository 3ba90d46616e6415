using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// <c>scorpio posterior</c> as a library call: builds the forward model, folds the prior's normalisation into it
/// (<see cref="PriorUnits"/>), builds the likelihood (Gaussian convolved form or SLIC), draws posterior samples in batches
/// (score method: any sampler with <see cref="PosteriorScore"/>; or DPS), draws prior samples with the same sampler for
/// the variance ratio, and writes samples.fits, mean, median, std, p16/p84/p15/p85, residual, variance_ratio (FITS),
/// summary.json and preview.png into the output folder.
/// </summary>
public static class PosteriorPipeline
{
    public static readonly string[] Methods = ["score", "dps"];

    public static PosteriorResult Run(PosteriorRequest r, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        if (!Methods.Contains(r.Method)) throw new UserInputException($"unknown --method '{r.Method}': use score or dps");
        if (r.Count < 1) throw new UserInputException($"--n must be at least 1 (got {r.Count})");
        bool slic = r.NoiseModel is not null;
        if (slic && (r.Sigma is not null || r.SigmaMap is not null))
            throw new UserInputException("give either a Gaussian noise level (--sigma or --sigma-map) or --noise-model, not both");
        if (!slic && r.Sigma is null && r.SigmaMap is null)
            throw new UserInputException("the likelihood needs the noise: give --sigma S (white Gaussian), --sigma-map FILE (per-pixel sigma) or --noise-model RUN (SLIC)");
        if (slic && r.Method == "dps") throw new UserInputException("DPS uses the Gaussian residual norm; it does not take a --noise-model (use --method score)");
        var prior = r.Prior;
        var obs = r.Observation;
        r.Forward.CheckObservation(obs.Shape, prior.Shape, obs.Source);
        if (r.SigmaMap is not null && !r.SigmaMap.Shape.SequenceEqual(obs.Shape))
            throw new UserInputException($"the sigma map has shape {string.Join("x", r.SigmaMap.Shape)} but the observation is {string.Join("x", obs.Shape)}");
        var sampler = SamplerRegistry.Get(r.Sampler);
        if (r.Method == "score" && !slic && !sampler.Stochastic)
            log?.Invoke($"warning: '{sampler.Name}' is deterministic; with the convolved Gaussian likelihood, deterministic samplers shrink the posterior spread " +
                "(the approximation over-weights the likelihood at large t; in the tests the PF-ODE's variance collapsed). Prefer euler-maruyama or pc.");
        var dir = PosteriorFiles.PrepareDirectory(r.OutDir);

        using var physical = r.Forward.Build(prior.Shape);
        using var model = r.Forward.Build(prior.Shape);
        var a = prior.Units.Operator(model);                      // A o diag(p): disposes model with it
        using var aOwner = ReferenceEquals(a, model) ? null : a;
        using var y = prior.Units.Observation(physical, obs.Values);
        double scale = prior.Units.Scale.Average();
        using var sigmaMap = r.SigmaMap?.To(DType.Float64);
        using var noise = slic ? null : sigmaMap is not null ? GaussianNoise.PerPixel(sigmaMap, obs.Mask) : GaussianNoise.White(r.Sigma!.Value, obs.Mask);
        ILikelihood? likelihood = null;
        if (slic)
        {
            if (prior.Units.Scale.Any(s => Math.Abs(s - scale) > 1e-9 * Math.Abs(scale)))
                throw new UserInputException("SLIC needs one normalisation scale for all the prior's channels (a per-channel scale changes the noise level per band)");
            likelihood = new SlicLikelihood(a, y, r.NoiseModel!, prior.Sde, r.Residual, r.Residual == SlicResidual.Annealed ? new Generator((ulong)r.Seed + 7, r.Device) : null,
                obs.HasMissing ? obs.Mask : null, perturbationScale: scale);
        }
        else if (r.Method == "score") likelihood = new GaussianLikelihood(a, y, noise!, prior.Sde, r.Form);
        try
        {
            // Posteriors are sharper than the prior: a Karras grid puts the steps where the likelihood takes over (in the
            // linear-Gaussian tests, uniform grids left Euler-Maruyama 30% off in variance at 200 steps, Karras 6%).
            var options = new SamplerOptions { Steps = r.Steps, Grid = r.Grid ?? (r.Method == "score" ? "karras" : null) };
            int batch = Math.Max(1, r.BatchSize ?? r.Count);
            log?.Invoke($"forward model: {a.Name}; likelihood: {(slic ? "SLIC (" + (r.NoiseModelDescription ?? "noise model") + ")" : r.Method == "dps" ? "DPS residual" : "Gaussian " + noise!.Describe())}");

            var sampling = Stopwatch.StartNew();
            using var z = r.Method == "dps"
                ? DrawDps(r, a, y, noise!, batch)
                : Draw(r.Count, batch, r.Seed, n => new PosteriorScore(prior.Score, likelihood!), prior, sampler, options, r.Device);
            double sampleSeconds = sampling.Elapsed.TotalSeconds;
            using var samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float32);
            log?.Invoke($"drew {r.Count} posterior samples in {sampleSeconds:F1} s");

            sampling.Restart();
            var priorSampler = r.Method == "dps" ? SamplerRegistry.Get("euler-maruyama") : sampler;
            var priorOptions = r.Method == "dps" ? options with { Steps = r.Steps ?? 1000, Grid = r.Grid ?? "uniform" } : options;
            using var priorZ = r.PriorCount > 1 ? Draw(r.PriorCount, batch, r.Seed + 1_000_003, _ => prior.Score, prior, priorSampler, priorOptions, r.Device) : null;
            using var priorSamples = priorZ is null ? null : prior.Units.ToPhysical(priorZ).To(Device.CPU);
            double priorSeconds = sampling.Elapsed.TotalSeconds;

            using var sigmaForChi = sigmaMap?.Alias() ?? (r.Sigma is double s ? torch.Full(obs.Shape, s, DType.Float64) : null);
            using var summary = PosteriorSummary.Compute(samples, physical, (obs.Values, obs.Mask), sigmaForChi, priorSamples, r.ApertureRadius);

            var modelHeader = ModelGridHeader.For(obs.Header, ModelPixelsPerObserved(r.Forward));
            var files = new List<string>();
            void Image(string name, Tensor t, Astro.Fits.FitsHeader h, string what) { PosteriorFiles.WriteImage(Path.Combine(dir, name), t, h, what); files.Add(name); }
            Image("samples.fits", samples, modelHeader, $"{r.Count} posterior samples");
            Image("mean.fits", summary.Mean, modelHeader, "posterior mean");
            Image("median.fits", summary.Median, modelHeader, "posterior median");
            Image("std.fits", summary.Std, modelHeader, "posterior standard deviation");
            Image("p16.fits", summary.P16, modelHeader, "16th percentile");
            Image("p84.fits", summary.P84, modelHeader, "84th percentile");
            Image("p15.fits", summary.P15, modelHeader, "15th percentile");
            Image("p85.fits", summary.P85, modelHeader, "85th percentile");
            Image("residual.fits", summary.Residual!, obs.Header, "y - A(median), observed grid");
            if (summary.VarianceRatio is not null) Image("variance_ratio.fits", summary.VarianceRatio, modelHeader, "posterior/prior variance");
            var panels = new List<PreviewPanel>
            {
                new("observation", obs.Values), new("median", summary.Median), new("std", summary.Std, "positive"), new("residual", summary.Residual!, "symmetric"),
            };
            for (int k = 0; k < Math.Min(3, r.Count); k++) panels.Add(new($"sample {k}", samples.Select(0, k)));
            PreviewImage.Write(Path.Combine(dir, "preview.png"), panels);
            files.Add("preview.png");

            var json = new JsonObject
            {
                ["command"] = "posterior",
                ["scorpio_version"] = Training.RunConfig.CurrentVersion,
                ["seed"] = r.Seed,
                ["prior"] = prior.Description,
                ["sde"] = prior.Sde.Name,
                ["observation"] = obs.Source,
                ["observation_shape"] = new JsonArray(obs.Shape.Select(v => (JsonNode)v).ToArray()),
                ["model_shape"] = new JsonArray(prior.Shape.Select(v => (JsonNode)v).ToArray()),
                ["masked_pixels"] = obs.MaskedCount,
                ["nan_pixels"] = obs.NanCount,
                ["forward_model"] = r.Forward.Describe(),
                ["operator"] = a.Name,
                ["likelihood"] = slic ? "slic" : "gaussian",
                ["sigma"] = PosteriorFiles.Number(r.Sigma),
                ["sigma_map"] = r.SigmaMap is not null,
                ["noise_model"] = r.NoiseModelDescription,
                ["slic_residual"] = slic ? r.Residual.ToString().ToLowerInvariant() : null,
                ["covariance_form"] = likelihood is GaussianLikelihood g ? g.Form.ToString().ToLowerInvariant() : null,
                ["method"] = r.Method,
                ["sampler"] = r.Method == "dps" ? "dps (euler-maruyama)" : sampler.Name,
                ["steps"] = r.Method == "dps" ? r.Steps ?? 1000 : r.Steps ?? sampler.DefaultSteps,
                ["grid"] = r.Grid ?? (r.Method == "dps" ? "uniform" : "karras"),
                ["zeta"] = r.Method == "dps" ? r.Zeta : null,
                ["samples"] = r.Count,
                ["prior_samples"] = r.PriorCount > 1 ? r.PriorCount : 0,
                ["normalisation_scale"] = new JsonArray(prior.Units.Scale.Select(v => (JsonNode)v).ToArray()),
                ["normalisation_offset"] = new JsonArray(prior.Units.Offset.Select(v => (JsonNode)v).ToArray()),
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
        finally
        {
            (likelihood as IDisposable)?.Dispose();
        }
    }

    /// <summary>Model pixels per observed pixel (pool / scale).</summary>
    public static double ModelPixelsPerObserved(ForwardModelSpec spec) => Math.Max(1, spec.Pool) / (spec.Scale ?? 1.0);

    /// <summary>Draws <paramref name="count"/> samples in batches (see <see cref="PosteriorBatches.Draw"/>).</summary>
    internal static Tensor Draw(int count, int batch, long seed, Func<int, Diffusion.IScoreFunction> score, PriorModel prior,
        SamplerDefinition sampler, SamplerOptions options, Device device) =>
        PosteriorBatches.Draw(count, batch, seed, device,
            (n, rng) => SamplerRegistry.Generate(sampler, score(n), prior.Sde, [n, .. prior.Shape], rng, options, device: device));

    private static Tensor DrawDps(PosteriorRequest r, ForwardOperator a, Tensor y, GaussianNoise noise, int batch)
    {
        var prior = r.Prior;
        var grid = TimeGrids.Create(r.Grid ?? "uniform", prior.Sde, r.Steps ?? 1000);
        using var weights = DpsWeights(noise, r.Observation);
        using var y32 = y.To(DType.Float32);
        return PosteriorBatches.Draw(r.Count, batch, r.Seed, r.Device, (n, rng) =>
        {
            using var xT = prior.Sde.PriorSample([n, .. prior.Shape], rng, r.Device);
            return DpsSampler.Sample(prior.Score, prior.Sde, grid, xT, a, y32, weights, r.Zeta, rng);
        });
    }

    /// <summary>
    /// DPS pixel weights: mask / sigma, divided by their mean over the observed pixels. Relative weights keep
    /// diffusion4astro's step (no sigma in it) for white noise whatever the noise level, while a sigma map still
    /// down-weights its noisier pixels; absolute 1/sigma weights would multiply the step by 1/sigma and diverge
    /// on faint, low-noise data.
    /// </summary>
    private static Tensor DpsWeights(GaussianNoise noise, ObservationInput obs)
    {
        using var mask = obs.Mask.To(DType.Float32);
        using var w = noise.SigmaMap is not null
            ? mask.Div(noise.SigmaMap.To(DType.Float32))
            : mask.Div(noise.Sigma!.Value);
        double observed = mask.Sum().ToDouble();
        if (observed <= 0) throw new UserInputException($"{obs.Source}: every pixel is masked, so DPS has nothing to fit");
        return w.Div(w.Sum().ToDouble() / observed);
    }
}
