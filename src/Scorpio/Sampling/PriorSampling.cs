using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// Unconditional samples from a score model (what <c>scorpio sample</c> does): drawn in batches in the model's normalised
/// space with any registered sampler, converted to physical units, and handed to the caller after every batch (so a
/// caller that writes them, <see cref="SampleFiles"/>, keeps what was finished when a run is killed).
/// <para>Seed rule: the batch covering samples [s, s + n) draws from <see cref="SampleNoise.PerSample"/>(seed, s, n): sample k
/// gets the same prior draw and the same per-step noise whatever the batch size, so the samples do not depend on it.</para>
/// </summary>
public static class PriorSampling
{
    /// <summary>Score evaluations of the whole run (per batch: the sampler's count for its grid), for progress bars.</summary>
    public static long Evaluations(Sde sde, PriorSamplingOptions options)
    {
        Validate(options);
        return EvaluationsPerBatch(sde, options) * BatchProgress.Count(options.Count, options.BatchSize);
    }

    /// <summary>Score evaluations of one batch.</summary>
    public static long EvaluationsPerBatch(Sde sde, PriorSamplingOptions options) =>
        options.Sampler.Nfe(SamplerRegistry.Grid(options.Sampler, sde, options.Settings).Length, options.Settings);

    /// <summary>
    /// <see cref="Draw(IScoreFunction, Sde, long[], Func{Tensor, Tensor}, PriorSamplingOptions, Action{PriorSamples}?, Action{BatchProgress}?)"/>
    /// for a trained model: its SDE and sample shape, and its normalisation undone.
    /// </summary>
    public static PriorSamples Draw(ScoreModel model, PriorSamplingOptions options, Action<PriorSamples>? batchDone = null, Action<BatchProgress>? progress = null) =>
        Draw(model, model.Sde, model.SampleShape(1)[1..], model.ToPhysical, options, batchDone, progress);

    /// <summary>
    /// Draws <see cref="PriorSamplingOptions.Count"/> samples of shape <paramref name="itemShape"/> from <paramref name="score"/> on
    /// <paramref name="sde"/>; <paramref name="toPhysical"/> maps a batch of normalised samples to physical units.
    /// <paramref name="batchDone"/> sees all samples finished so far after every batch.
    /// </summary>
    public static PriorSamples Draw(IScoreFunction score, Sde sde, long[] itemShape, Func<Tensor, Tensor> toPhysical,
        PriorSamplingOptions options, Action<PriorSamples>? batchDone = null, Action<BatchProgress>? progress = null)
    {
        Validate(options);
        long perBatch = EvaluationsPerBatch(sde, options);
        int batches = BatchProgress.Count(options.Count, options.BatchSize), k = 0;
        long total = perBatch * batches;
        var samples = new PriorSamples();
        foreach (var (start, size) in BatchProgress.Ranges(options.Count, options.BatchSize))
        {
            long before = k * perBatch;
            int batch = ++k;
            using (torch.InferenceMode())
            using (torch.NewDisposeScope())
            {
                using var noise = SampleNoise.PerSample(options.Seed, options.First + start, size, options.Device);
                var x = SamplerRegistry.Generate(options.Sampler, score, sde, [size, .. itemShape], noise, options.Settings,
                    s => progress?.Invoke(new BatchProgress(batch, batches, before + s.Nfe, total, false)), options.Device);
                samples.Add(toPhysical(x));
            }
            batchDone?.Invoke(samples);
            progress?.Invoke(new BatchProgress(batch, batches, before + perBatch, total, true));
        }
        return samples;
    }

    /// <summary>Checks the settings (done by <c>Draw</c> too; call it early to fail before loading a model).</summary>
    public static void Validate(PriorSamplingOptions options)
    {
        if (options.Count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {options.Count})");
        if (options.BatchSize < 1) throw new InvalidSettingException("batchSize", $"must be at least 1 (got {options.BatchSize})");
        if (options.Settings.Steps is int steps && steps < 1) throw new InvalidSettingException("steps", $"must be at least 1 (got {steps})");
        // The samplers' own checks are ArgumentExceptions (a caller's bug there); here the settings are the user's.
        var o = options.Settings;
        if (!(o.Eta >= 0)) throw new InvalidSettingException("eta", $"must be >= 0 (got {o.Eta})");
        if (!(o.Churn >= 0)) throw new InvalidSettingException("churn", $"must be >= 0 (got {o.Churn})");
        if (!(o.Snr > 0)) throw new InvalidSettingException("snr", $"must be positive (got {o.Snr})");
        if (o.CorrectorSteps < 0) throw new InvalidSettingException("correctorSteps", $"must be >= 0 (got {o.CorrectorSteps})");
    }
}
