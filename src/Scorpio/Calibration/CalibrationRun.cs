using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Calibration;

/// <summary>
/// <c>scorpio calibrate</c> as a library call (Tier C of issue 14: the whole system in distribution). Truths are drawn from
/// the prior itself, so they are exactly in the distribution the posterior assumes; each is observed through the forward
/// model with Gaussian noise, its posterior sampled by a registered method, and the statistics of
/// <see cref="CalibrationStatistics"/> (coverage, z-scores, TARP as sbi, posterior-predictive chi^2) written as
/// calibration.json and report.html, with the truths, observations and samples as FITS. Seed rule: truth k and its noise
/// draw from (seed, k) (streams 3 and 4), posterior sample j of simulation k from ((seed, k), j), so any simulation can be
/// re-run alone and nothing depends on the batch size.
/// </summary>
public static class CalibrationRun
{
    private const int TruthStream = 3, NoiseStream = 4, PosteriorSeedStream = 5, TarpStream = 6;

    /// <summary>Posterior samples per network batch by default (several simulations' samples together; see <see cref="CalibrationRequest.BatchSize"/>).</summary>
    public const int DefaultBatch = 64;

    /// <summary>The checks that need no model (front ends call them first); errors name the setting.</summary>
    public static void CheckSettings(CalibrationRequest r)
    {
        PosteriorPipeline.CheckSettings(r.Method, r.Settings, r.SamplesPerTruth, 0, r.BatchSize, r.ApertureRadius);
        if (r.Simulations < 2) throw new InvalidSettingException("simulations", $"must be at least 2 (got {r.Simulations}); TARP and sbi's check want 10 or more (bins = simulations / 10), the issue's target 200");
        if (r.SamplesPerTruth < 2) throw new InvalidSettingException("samplesPerTruth", $"must be at least 2 (got {r.SamplesPerTruth}): the truth's rank among the samples is the statistic");
        if (r.Exposure.Observation is not null || r.Exposure.ObservationPath is not null)
            throw new InvalidSettingException("obs", "is simulated by calibrate: give the forward model and the noise only");
        if (r.Exposure.WarpPath is not null) throw new InvalidSettingException("warp", "is not supported by calibrate (give a shift)");
        if (r.Exposure.Sigma is null && r.Exposure.SigmaMap is null && r.Exposure.SigmaMapPath is null)
            throw new InvalidSettingException("sigma", "is missing: calibrate simulates Gaussian noise of this standard deviation (observation units)");
        SamplerRegistry.Get(r.TruthSampler);
        if (r.TruthSteps is int s && s < 1) throw new InvalidSettingException("truthSteps", $"must be at least 1 (got {s})");
    }

    /// <summary>Runs the calibration of <paramref name="r"/> with <paramref name="prior"/> (truths and posteriors); progress lines to <paramref name="log"/>.</summary>
    public static CalibrationResult Run(PriorModel prior, CalibrationRequest r, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        CheckSettings(r);
        var dir = PosteriorFiles.PrepareDirectory(r.OutDir);
        int batch = Math.Max(1, r.BatchSize ?? Math.Max(DefaultBatch, r.SamplesPerTruth));

        // The forward model is built first (files read, shapes and sigma checked), so a bad --psf or --pool costs no truth draws.
        var observedShape = new ForwardModelSpec { Pool = r.Exposure.Pool, Scale = r.Exposure.Scale }.ObservedShape(prior.Shape);
        using var placeholder = ObservationInput.FromImage(new ImageData(new float[observedShape.Aggregate(1L, (a, b) => a * b)], observedShape.Select(v => (int)v).ToArray()), null, "calibration");
        using var probe = InverseProblemBuilder.Build(new ProblemSpec { Exposures = [r.Exposure with { Observation = placeholder }], Form = r.Form }, prior, r.Device);
        if (probe.SigmaMap is null) throw new InvalidSettingException("sigma", "calibrate simulates Gaussian noise: give sigma or a sigma map");

        // Truths from the prior itself, in physical units: truth k from (seed, k).
        var truthSampler = SamplerRegistry.Get(r.TruthSampler);
        var truthOptions = new SamplerOptions { Steps = r.TruthSteps };
        log?.Invoke($"drawing {r.Simulations} truths from the prior ({truthSampler.Name}, {SamplerRegistry.Grid(truthSampler, prior.Sde, truthOptions).Length} points)");
        using var truthZ = PosteriorBatches.Draw(r.Simulations, Math.Max(batch, 16), r.Seed, r.Device,
            (n, noise) => SamplerRegistry.Generate(truthSampler, prior.Score, prior.Sde, [n, .. prior.Shape], noise, truthOptions, device: r.Device), TruthStream);
        using var truths = prior.Units.ToPhysical(truthZ).To(Device.CPU, DType.Float64);
        double truthSeconds = clock.Elapsed.TotalSeconds;

        using var observations = Observe(probe, r, truths, observedShape, out var forward, out int dof);
        var aperture = Aperture(prior.Shape, r.ApertureRadius, out double radius);
        var statistics = new CalibrationStatistics(aperture);
        var allSamples = new List<Tensor>();
        JsonObject? ran = null;
        JsonArray diagnostics = [];
        var sampling = Stopwatch.StartNew();
        try
        {
            // Simulations share network batches: a batch of `batch` samples holds batch / n simulations' samples, each item
            // conditioned on its own y (InverseProblem.ForObservations) and drawing from its own generators, so the samples are
            // those of one simulation at a time; on a CPU a batch of 32 costs about 2.7 times a batch of 8.
            int group = Math.Max(1, batch / r.SamplesPerTruth);
            for (int k0 = 0; k0 < r.Simulations; k0 += group)
            {
                int g = Math.Min(group, r.Simulations - k0);
                using var scope = torch.NewDisposeScope();
                var ys = observations.Narrow(0, k0, g);
                var method = PosteriorMethods.Create(r.Method, r.Settings);
                Tensor samples;
                try
                {
                    using var problem = probe.ForObservations(g == 1 ? ys : ys.Unsqueeze(1).Expand([g, r.SamplesPerTruth, .. observedShape]).Reshape([g * r.SamplesPerTruth, .. observedShape]));
                    var prepared = method.Prepare(problem, k0 == 0 ? log : null);
                    ran ??= prepared;
                    var lastReport = Stopwatch.StartNew();
                    void Progress(SamplerStep step)
                    {
                        if (log is null || lastReport.Elapsed.TotalSeconds < 30) return;
                        lastReport.Restart();
                        log($"  simulations {k0 + 1}-{k0 + g}: update {step.Step}/{step.Steps}, {step.Nfe} network evaluations in this batch");
                    }
                    long SeedOf(int k) => unchecked((long)SampleNoise.SeedFor(r.Seed, k, PosteriorSeedStream));
                    Tensor z;
                    if (g == 1) z = PosteriorBatches.Draw(r.SamplesPerTruth, batch, SeedOf(k0), r.Device, (n, noise) => method.Sample(problem, n, noise, Progress));
                    else
                    {
                        var parts = Enumerable.Range(k0, g).Select(k => SampleNoise.PerSample(SeedOf(k), 0, r.SamplesPerTruth, r.Device)).ToArray();
                        try
                        {
                            using var noise = SampleNoise.Join(parts);
                            z = method.Sample(problem, g * r.SamplesPerTruth, noise, Progress);
                        }
                        finally { foreach (var part in parts) part.Dispose(); }
                    }
                    using (z) samples = prior.Units.ToPhysical(z).To(Device.CPU, DType.Float64);
                    if (method.Diagnostics() is { } d) diagnostics.Add(d);
                }
                finally { (method as IDisposable)?.Dispose(); }
                for (int i = 0; i < g; i++)
                {
                    var own = samples.Narrow(0, i * r.SamplesPerTruth, r.SamplesPerTruth);
                    var y = ys.Select(0, i);
                    statistics.Add(Floats(truths.Select(0, k0 + i)), Floats(own), r.SamplesPerTruth, ChiSquares(probe, own, y), dof);
                    allSamples.Add(own.To(DType.Float32).DetachFromDisposeScope());
                }
                int done = k0 + g;
                double elapsed = sampling.Elapsed.TotalSeconds;
                var (pixel68, _) = statistics.Coverage(0.68);
                log?.Invoke($"simulation {done}/{r.Simulations}: {elapsed / done:F1} s each, about {elapsed / done * (r.Simulations - done):F0} s left; 68% pixel coverage so far {pixel68:F3}");
            }
            double samplingSeconds = sampling.Elapsed.TotalSeconds;

            var stats = statistics.Summarise(unchecked((long)SampleNoise.SeedFor(r.Seed, 0, TarpStream)));
            var files = new List<string> { "truths.fits", "observations.fits", "samples.fits" };
            PosteriorFiles.WriteImage(Path.Combine(dir, "truths.fits"), truths, null, $"{r.Simulations} truths drawn from the prior");
            PosteriorFiles.WriteImage(Path.Combine(dir, "observations.fits"), observations, null, "simulated observations y = A x + noise");
            using (var stacked = torch.Stack(allSamples.ToArray(), 0))
            using (var flat = stacked.Reshape([r.Simulations * r.SamplesPerTruth, .. prior.Shape]))
                PosteriorFiles.WriteImage(Path.Combine(dir, "samples.fits"), flat, null, $"{r.SamplesPerTruth} posterior samples per truth, simulation-major");
            var json = new JsonObject
            {
                ["command"] = "calibrate",
                ["scorpio_version"] = Training.RunConfig.CurrentVersion,
                ["seed"] = r.Seed,
                ["seed_rule"] = "truth k and its noise draw from (seed, k); posterior sample j of simulation k from ((seed, k), j)",
                ["prior"] = prior.Description,
                ["sde"] = prior.Sde.Name,
                ["truth_sampler"] = $"{truthSampler.Name}, {SamplerRegistry.Grid(truthSampler, prior.Sde, truthOptions).Length} points",
                ["forward_model"] = forward,
                ["observed_pixels"] = dof,
                ["simulations"] = r.Simulations,
                ["samples_per_truth"] = r.SamplesPerTruth,
                ["posterior_method"] = ran,
                ["posterior_diagnostics"] = diagnostics.Count > 0 ? diagnostics : null,
                ["aperture_radius"] = radius,
                ["statistics"] = stats,
                ["timings_seconds"] = new JsonObject
                {
                    ["truths"] = truthSeconds,
                    ["posterior_sampling"] = samplingSeconds,
                    ["per_simulation"] = samplingSeconds / r.Simulations,
                    ["total"] = clock.Elapsed.TotalSeconds,
                },
                ["device"] = r.Device.ToString(),
            };
            CalibrationReport.Write(Path.Combine(dir, "report.html"), json, statistics);
            files.AddRange(["report.html", "calibration.json"]);
            json["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray());
            PosteriorFiles.WriteSummary(Path.Combine(dir, "calibration.json"), json);
            return new CalibrationResult(dir, files, json);
        }
        finally { foreach (var s in allSamples) s.Dispose(); }
    }

    /// <summary>
    /// y_k = A x_k + noise for every truth (float64, physical units), noise k from (seed, k): the forward operator and the
    /// noise of a problem built from the request's exposure (so the observation model is the inverse problem's own).
    /// </summary>
    private static Tensor Observe(InverseProblem probe, CalibrationRequest r, Tensor truths, long[] observedShape, out JsonNode? forward, out int dof)
    {
        using var scope = torch.NewDisposeScope();
        forward = probe.Describe()["exposures"]![0]!.DeepClone();
        dof = (int)probe.Mask.Sum().ToDouble();
        Tensor clean;
        using (torch.NoGrad()) clean = probe.Operator.Apply(truths);
        int sims = (int)truths.Size(0);
        using var noise = SampleNoise.PerSample(r.Seed, 0, sims, Device.CPU, NoiseStream);
        var eta = noise.Randn([sims, .. observedShape], DType.Float64).Mul(probe.SigmaMap);
        return clean.Add(eta).Mul(probe.Mask).MoveToOuterDisposeScope();
    }

    /// <summary>chi^2(y, x_s) = sum over observed pixels of ((y - A x_s) / sigma)^2 for every sample (physical units).</summary>
    private static double[] ChiSquares(InverseProblem problem, Tensor samples, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var predicted = problem.Operator.Apply(samples);
        var r = y.Unsqueeze(0).Sub(predicted).Div(problem.SigmaMap!).Mul(problem.Mask);
        return r.Square().Flatten(1).Sum([1]).ToDoubleArray();
    }

    /// <summary>1 inside the central circle of <paramref name="radius"/> prior pixels (clipped to half the image), every channel.</summary>
    private static double[] Aperture(long[] shape, double radius, out double used)
    {
        long c = shape[0], h = shape[1], w = shape[2];
        used = Math.Min(radius, Math.Min(h, w) / 2.0);
        using var disc = PosteriorSummary.Aperture(h, w, used);
        var plane = disc.ToDoubleArray();
        return Enumerable.Range(0, (int)c).SelectMany(_ => plane).ToArray();
    }

    private static float[] Floats(Tensor t)
    {
        using var f = t.To(DType.Float32).Contiguous();
        return f.ToArray<float>();
    }
}
