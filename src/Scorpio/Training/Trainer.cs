using System.Diagnostics;
using System.Globalization;
using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Torch;
using Scorpio.Torch.Optim;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// Trains a <see cref="ScoreModel"/> and keeps its run folder (<see cref="RunFolder"/>) up to date.
/// Every random draw comes from seeded generators: the network initialisation (seed), the data
/// generator (seed + 1: augmentation), the noise generator (seed + 2: times and noise) and the
/// per-epoch batch permutations (<see cref="BatchSampler"/>). Their states, the weights, the EMA and
/// the optimiser state go into checkpoint.safetensors, so a run trained for 6 steps and resumed to
/// 12 is bit-identical to a 12-step run (same seed, device and thread count). Dropout draws from
/// libtorch's global generator, seeded at start but not checkpointed: with dropout > 0 resumed runs
/// are statistically, not bitwise, equivalent (the default dropout is 0).
/// </summary>
public static class Trainer
{
    /// <summary>Runs (or resumes) training as described by <paramref name="options"/>.</summary>
    public static TrainingResult Run(TrainingOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var folder = new RunFolder(options.OutDir);
        var monitor = options.Monitor;
        var (config, data, ownsData) = options.Resume ? PrepareResume(options, folder) : PrepareNew(options, folder);
        try
        {
            using var normalised = Normalization.FromConfig(config.Normalization).Forward(data.Samples).To(options.Device).DetachFromDisposeScope();
            if (!options.Resume)
            {
                config = RunConfigResolver.ResolveSigmaMax(config, normalised);
                if (config.Sde.Name == "ve") monitor?.Note(string.Create(CultureInfo.InvariantCulture, $"VE sigma_max = {config.Sde.SigmaMax:G6} (largest distance between training samples)"));
            }
            if (options.Loss is null && config.Training.Loss is null)
            {
                using var kind = Models.Parametrisation.For(config.Sde, config.Network);
                config = config with { Training = config.Training with { Loss = kind.DefaultLoss } };
            }
            else config = config with { Training = config.Training with { Loss = options.Loss?.Name ?? config.Training.Loss } };
            if (config.Network.Arch == Networks.GaussianPriorNetwork.Arch) return GaussianPriorFit.Run(folder, config, normalised, monitor, clock);
            folder.WriteConfig(config);
            return Loop(options, folder, config, normalised, clock, cancel);
        }
        finally
        {
            if (ownsData) data.Dispose();
        }
    }

    private static (RunConfig, TrainingDataset, bool) PrepareNew(TrainingOptions o, RunFolder folder)
    {
        if (File.Exists(folder.ConfigPath))
            throw new UserInputException($"{folder.Path} already holds a training run (config.json); add --resume to continue it, or choose another --out");
        var config = o.Config with { ScorpioVersion = RunConfig.CurrentVersion };
        if (o.TotalSteps is int steps) config = config with { Training = config.Training with { Steps = steps } };
        RunConfigResolver.Validate(config, o.Loss?.Name);
        var data = o.Data ?? DatasetLoader.Load(o.DataPaths, allowVectors: config.Network.Arch == "mlp");
        try
        {
            config = RunConfigResolver.ResolveShape(config, data.Samples, o.ImageSize, data.Sources);
            config = config with { Normalization = Normalization.Fit(config.Normalization, data.Samples) };
            // Through JSON and back, so a fresh run uses exactly the numbers a resumed one will read.
            config = ConfigJson.Parse(ConfigJson.Serialize(config), "the resolved configuration");
            return (config, data, o.Data is null);
        }
        catch
        {
            if (o.Data is null) data.Dispose();
            throw;
        }
    }

    private static (RunConfig, TrainingDataset, bool) PrepareResume(TrainingOptions o, RunFolder folder)
    {
        var config = folder.ReadConfig();
        if (config.Network.Arch == Networks.GaussianPriorNetwork.Arch)
            throw new UserInputException($"{folder.Path} holds a fitted Gaussian prior (arch gaussian): it has no training to resume; fit a new one with another --out");
        if (!File.Exists(folder.CheckpointPath)) throw new UserInputException($"{folder.Path}: no checkpoint.safetensors to resume from");
        if (o.TotalSteps is int steps) config = config with { Training = config.Training with { Steps = steps } };
        RunConfigResolver.Validate(config, o.Loss?.Name);
        var paths = o.DataPaths.Count > 0 ? o.DataPaths : config.Data.Sources;
        var data = o.Data ?? DatasetLoader.Load(paths, allowVectors: config.Network.Arch == "mlp");
        try
        {
            int? size = config.Network.Arch == "mlp" ? null : config.Network.ImageSize;
            var check = RunConfigResolver.ResolveShape(config, data.Samples, size, data.Sources);
            if (!check.Data.Shape.SequenceEqual(config.Data.Shape))
                throw new UserInputException($"the data give samples of shape ({string.Join(", ", check.Data.Shape)}) but the run in {folder.Path} was trained on ({string.Join(", ", config.Data.Shape)})");
            return (config, data, o.Data is null);
        }
        catch
        {
            if (o.Data is null) data.Dispose();
            throw;
        }
    }

    private static TrainingResult Loop(TrainingOptions o, RunFolder folder, RunConfig config, Tensor data, Stopwatch clock, CancellationToken cancel)
    {
        var t = config.Training;
        var monitor = o.Monitor;
        ulong seed = unchecked((ulong)config.Seed);
        torch.ManualSeed(seed);
        using var initRng = new Generator(seed);
        using var model = CreateModel(config, o.Device, initRng);
        model.Network.Train();
        var loss = o.Loss ?? TrainingLosses.Create(t.Loss!, model.Parametrisation);
        using var optimizer = t.Optimizer == "adamw"
            ? new AdamW(model.Network.NamedParameters(), t.Lr, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay)
            : new Adam(model.Network.NamedParameters(), t.Lr, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        using var ema = new Ema(model.Network, t.Ema, t.EmaWarmup);
        using var dataRng = new Generator(unchecked(seed + 1));
        using var noiseRng = new Generator(unchecked(seed + 2), o.Device);

        long step = 0;
        double priorSeconds = 0;
        if (o.Resume) (step, priorSeconds) = Checkpoints.Restore(folder, model, optimizer, ema, dataRng, noiseRng);
        if (step >= t.Steps)
        {
            var done = new TrainingResult(TrainingOutcome.AlreadyDone, step, double.NaN,
                $"{folder.Path} has already trained {step} steps (requested {t.Steps}); nothing to do. Raise --steps to continue.", folder.Path, clock.Elapsed.TotalSeconds);
            monitor?.Finished(done);
            return done;
        }
        monitor?.Started(config, step, folder.Path);
        monitor?.Note($"{model.Network.ParameterCount:N0} parameters, {data.Size(0)} training samples, loss {loss.Name}, device {o.Device}");

        var schedule = LrSchedule.Constant(t.Lr, t.Warmup);
        var sampler = new BatchSampler(data.Size(0), t.Batch, config.Seed);
        var parameters = model.Network.Parameters().ToArray();
        int size = config.Network.ImageSize;
        using var log = LossLog.Open(folder.LossLogPath, o.Resume ? step : null);
        double lastLoss = double.NaN, smoothLoss = 0, smoothWeight = 0, speed = 0;
        long lastSaved = step;
        var session = Stopwatch.StartNew();

        void Save()
        {
            log.Flush();
            Checkpoints.Save(folder, config, model, optimizer, ema, dataRng, noiseRng, step, priorSeconds + session.Elapsed.TotalSeconds, lastLoss);
            lastSaved = step;
        }

        TrainingResult Finish(TrainingOutcome outcome, string message)
        {
            var r = new TrainingResult(outcome, step, lastLoss, message, folder.Path, clock.Elapsed.TotalSeconds);
            monitor?.Finished(r);
            return r;
        }

        while (step < t.Steps)
        {
            var stepClock = Stopwatch.StartNew();
            double lr = schedule.At(step);
            optimizer.LearningRate = lr;
            double value, gradNorm = 0;
            using (torch.NewDisposeScope())
            {
                var idx = torch.FromArray(sampler.Indices(step)).To(data.Device);
                var batch = data.IndexSelect(0, idx);
                var augmented = Augmenter.Apply(batch, t.Augment, size, dataRng);
                var l = loss.Compute(model, augmented, noiseRng);
                value = l.ToDouble();
                if (double.IsFinite(value))
                {
                    optimizer.ZeroGrad();
                    l.Backward();
                    if (t.GradClip > 0) gradNorm = GradClip.ClipGradNorm(parameters, t.GradClip);
                }
            }
            if (!double.IsFinite(value) || !double.IsFinite(gradNorm))
            {
                optimizer.ZeroGrad();
                string what = double.IsFinite(value) ? $"the gradient norm is {gradNorm}" : $"the loss is {value}";
                string last = double.IsNaN(lastLoss) ? "no finite loss yet" : $"last finite loss {lastLoss:G5} at step {step}";
                return Finish(TrainingOutcome.Diverged,
                    $"training stopped at step {step + 1}: {what} ({last}). Nothing was saved after step {lastSaved}; " +
                    $"{(lastSaved > 0 ? folder.CheckpointPath + " still holds that state" : "no checkpoint was written")}. " +
                    $"Try a lower learning rate (now {t.Lr:G3}), a longer warm-up or gradient clipping, and check the data for extreme values.");
            }
            optimizer.Step();
            ema.Update();
            optimizer.ZeroGrad();
            step++;
            lastLoss = value;

            double seconds = stepClock.Elapsed.TotalSeconds;
            double rate = t.Batch / Math.Max(seconds, 1e-9);
            speed = speed == 0 ? rate : 0.9 * speed + 0.1 * rate;
            smoothLoss = 0.95 * smoothLoss + 0.05 * value;
            smoothWeight = 0.95 * smoothWeight + 0.05;
            log.Append(step, value, lr, rate, priorSeconds + session.Elapsed.TotalSeconds);
            var eta = TimeSpan.FromSeconds((t.Steps - step) * t.Batch / Math.Max(speed, 1e-9));
            monitor?.Progress(new TrainingProgress(step, t.Steps, smoothLoss / smoothWeight, lr, speed, clock.Elapsed, eta));

            if (step % t.CheckpointEvery == 0 || step == t.Steps) Save();
            if (step < t.Steps && o.MaxTime is TimeSpan max && clock.Elapsed >= max)
            {
                Save();
                return Finish(TrainingOutcome.TimeLimit, $"stopped at the time limit ({max.TotalMinutes:G4} min) after step {step} of {t.Steps}; checkpoint saved. Continue with: scorpio train --out {folder.Path} --resume");
            }
            if (step < t.Steps && cancel.IsCancellationRequested)
            {
                Save();
                return Finish(TrainingOutcome.Cancelled, $"interrupted after step {step} of {t.Steps}; checkpoint saved. Continue with: scorpio train --out {folder.Path} --resume");
            }
        }
        return Finish(TrainingOutcome.Completed, string.Create(CultureInfo.InvariantCulture,
            $"trained {step} steps in {folder.Path}: final loss {lastLoss:G5} (smoothed {smoothLoss / Math.Max(smoothWeight, 1e-12):G5}); model.safetensors holds the EMA weights"));
    }

    /// <summary>
    /// <see cref="ScoreModel.Create"/> (same draws), with the network constructors' checks of their configuration (image size
    /// against the levels, widths, embeddings), which are <see cref="ArgumentException"/>s, reported as the run's settings
    /// error: here the configuration is what the user gave.
    /// </summary>
    private static ScoreModel CreateModel(RunConfig config, Device device, Generator rng)
    {
        Networks.ScoreNetwork network;
        try { network = Networks.NetworkFactory.Create(config.Network, rng); }
        catch (ArgumentException e) { throw new InvalidSettingException("network", $"settings do not make a network: {e.Message}"); }
        return new ScoreModel(config, network, device);
    }
}
