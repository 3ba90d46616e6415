using System.Diagnostics;
using System.Globalization;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
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
/// <para>Data-parallel (<see cref="TrainingOptions.Parallel"/>): every rank draws the batch indices, augmentation and
/// noise of the whole global batch from the same generators and computes its block of rows (<see cref="BatchShard"/>);
/// one allreduce per step sums the gradients (and the loss shares, and the ranks' stop votes) before they are clipped, so
/// every rank takes the same optimiser step and a run on W ranks follows the single-process run of the same batch size up
/// to float32 rounding of the sums. One process reads nothing on the host between loss reads (every
/// <see cref="TrainingOptions.LossReadEvery"/> steps and before each checkpoint); a data-parallel rank also reads the
/// summed stop votes once per step. Rank 0 writes config.json, the checkpoints, model.safetensors and loss.csv; every rank resumes from the
/// same checkpoint, whatever the number of ranks that wrote it.</para>
/// </summary>
public static class Trainer
{
    /// <summary>Runs (or resumes) training as described by <paramref name="options"/>.</summary>
    public static TrainingResult Run(TrainingOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var folder = new RunFolder(options.OutDir);
        bool main = options.Parallel?.IsMain ?? true;
        var monitor = main ? options.Monitor : null;
        if (File.Exists(folder.Path))
            throw new UserInputException($"{folder.Path} is a file, not a run folder: give --out a folder name (it is created), or remove the file");
        if (options.Resume) folder.ReadConfig(); // a missing or damaged run is reported before anything is created
        // Rank 0 alone holds the folder's lock and writes into it; the other ranks only read the checkpoint.
        using var runLock = main ? folder.Lock(m => monitor?.Note(m)) : null;
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
            if (config.Network.Arch == Networks.GaussianPriorNetwork.Arch)
            {
                if (options.Parallel is not null)
                    throw new UserInputException("--arch gaussian is fitted in one pass, not trained: run it as one process (without --nproc or a distributed launcher)");
                return GaussianPriorFit.Run(folder, config, normalised, monitor, clock);
            }
            if (main) folder.WriteConfig(config);
            return Loop(options, folder, config, normalised, clock, cancel);
        }
        finally
        {
            if (ownsData) data.Dispose();
        }
    }

    private static (RunConfig, TrainingDataset, bool) PrepareNew(TrainingOptions o, RunFolder folder)
    {
        // Rank 0 alone checks the folder (the others would see the config.json it is writing).
        bool main = o.Parallel is not { IsMain: false };
        if (folder.NeverCheckpointed)
        {
            if (main) o.Monitor?.Note($"{folder.Path} holds a run stopped before its first checkpoint; starting it again");
        }
        else if (main && File.Exists(folder.ConfigPath))
            throw new UserInputException($"{folder.Path} already holds a training run (config.json); add --resume to continue it, or choose another --out");
        var config = o.Config with { ScorpioVersion = RunConfig.CurrentVersion };
        if (o.TotalSteps is int steps) config = config with { Training = config.Training with { Steps = steps } };
        RunConfigResolver.Validate(config, o.Loss?.Name);
        var data = o.Data ?? DatasetLoader.Load(o.DataPaths, allowVectors: config.Network.ForVectors);
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
        if (!File.Exists(folder.CheckpointPath))
        {
            if (!folder.NeverCheckpointed) throw new UserInputException($"{folder.Path}: no checkpoint.safetensors to resume from (model.safetensors alone cannot continue training); retrain into a new folder");
            o.Monitor?.Note($"{folder.Path} has no checkpoint yet (stopped before the first): training starts at step 0 with its config.json");
        }
        if (o.TotalSteps is int steps) config = config with { Training = config.Training with { Steps = steps } };
        RunConfigResolver.Validate(config, o.Loss?.Name);
        var paths = o.DataPaths.Count > 0 ? o.DataPaths : config.Data.Sources;
        var data = o.Data ?? DatasetLoader.Load(paths, allowVectors: config.Network.ForVectors);
        try
        {
            int? size = config.Network.ForVectors ? null : config.Network.ImageSize;
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
        var dp = o.Parallel;
        bool main = dp?.IsMain ?? true;
        var monitor = main ? o.Monitor : null;
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
        if (o.Resume && File.Exists(folder.CheckpointPath))
        {
            (step, priorSeconds) = Checkpoints.Restore(folder, model, optimizer, ema, dataRng, noiseRng);
            if (main && Checkpoints.RefreshModel(folder, config, model, ema, step))
                monitor?.Note($"rewrote {folder.ModelPath} from the checkpoint (step {step}): the last save was interrupted before it");
        }
        BatchShard? shard = null;
        if (dp is not null)
        {
            if (t.Batch < dp.WorldSize)
                throw new InvalidSettingException("batch", $"is the global batch, split over the {dp.WorldSize} processes: it must be at least {dp.WorldSize} (got {t.Batch})");
            shard = BatchShard.Of(t.Batch, dp.Rank, dp.WorldSize);
            dp.Agree(step, "the step to start from");
            dp.Agree(data.Size(0), "the number of training samples");
            dp.Agree(ConfigHash(config), "the run configuration (config.json)");
            // Rank 0's weights rule (as DistributedDataParallel does); the optimiser and EMA states come from the same checkpoint.
            dp.BroadcastFromMain(model.Network.StateDict().Values);
        }
        if (step >= t.Steps)
        {
            var done = new TrainingResult(TrainingOutcome.AlreadyDone, step, double.NaN,
                $"{folder.Path} has already trained {step} steps (requested {t.Steps}); nothing to do. Raise --steps to continue.", folder.Path, clock.Elapsed.TotalSeconds);
            monitor?.Finished(done);
            return done;
        }
        monitor?.Started(config, step, folder.Path);
        monitor?.Note($"{model.Network.ParameterCount:N0} parameters, {data.Size(0)} training samples, loss {loss.Name}, device {o.Device}");
        if (dp is not null)
            monitor?.Note($"data-parallel: {dp.WorldSize} processes ({dp.Backend}), global batch {t.Batch} ({shard!.Value.Count}-{(t.Batch + dp.WorldSize - 1) / dp.WorldSize} per process), " +
                $"gradients summed in {(dp.BucketBytes > 0 ? $"buckets of {dp.BucketBytes / 1e6:G3} MB" : "one flat bucket")}; rank 0 writes {folder.Path}");

        var schedule = LrSchedule.Constant(t.Lr, t.Warmup);
        var sampler = new BatchSampler(data.Size(0), t.Batch, config.Seed);
        var stepper = new TrainingStep(model, loss, optimizer, ema, t.GradClip);
        int size = config.Network.ImageSize;
        int readEvery = Math.Max(1, o.LossReadEvery);
        using var log = main ? LossLog.Open(folder.LossLogPath, o.Resume ? step : null) : null;
        double lastLoss = double.NaN, smoothLoss = 0, smoothWeight = 0, speed = 0;
        long lastSaved = step;
        var session = Stopwatch.StartNew();
        // Steps whose loss and gradient norm are still on the device (read together, once every readEvery steps).
        var pending = new List<(long Step, Tensor Loss, Tensor Norm, double Lr, double Rate, double Seconds)>();

        void Save()
        {
            if (!main) { lastSaved = step; return; }
            log!.Flush();
            Checkpoints.Save(folder, config, model, optimizer, ema, dataRng, noiseRng, step, priorSeconds + session.Elapsed.TotalSeconds, lastLoss,
                checkpointWritten: () => lastSaved = step);
        }

        var reduceClock = new Stopwatch();
        long reduced = 0, firstStep = step;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        TrainingResult Finish(TrainingOutcome outcome, string message)
        {
            if (step > firstStep)
            {
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / (step - firstStep);
                string cost = string.Create(CultureInfo.InvariantCulture, $"cost: {cpu:F0} ms of CPU per step in this process, {session.Elapsed.TotalMilliseconds / (step - firstStep):F0} ms wall");
                if (dp is not null && reduced > 0)
                    cost += string.Create(CultureInfo.InvariantCulture, $"; allreduce: {reduceClock.Elapsed.TotalMilliseconds / reduced:F1} ms per step ({dp.CollectivesPerStep} collective(s), waiting for the slower rank included)");
                monitor?.Note(cost);
            }
            var r = new TrainingResult(outcome, step, lastLoss, message, folder.Path, clock.Elapsed.TotalSeconds);
            monitor?.Finished(r);
            return r;
        }

        // One host read for every pending step; logs them. Returns the first non-finite step's description, or null.
        // Data-parallel ranks hold the same summed losses and gradients and read at the same steps, so they agree.
        string? ReadPending()
        {
            if (pending.Count == 0) return null;
            double[] values;
            using (torch.NewDisposeScope())
            {
                var losses = torch.Stack(pending.Select(p => p.Loss.To(DType.Float64)).ToArray());
                var norms = torch.Stack(pending.Select(p => p.Norm.To(losses.Device)).ToArray());
                values = torch.Cat([losses, norms]).ToArray<double>();
            }
            string? failure = null;
            for (int k = 0; k < pending.Count && failure is null; k++)
            {
                var p = pending[k];
                double value = values[k], norm = values[pending.Count + k];
                if (!double.IsFinite(value) || !double.IsFinite(norm))
                {
                    string what = double.IsFinite(value) ? $"the gradient norm is {norm}" : $"the loss is {value}";
                    string last = double.IsNaN(lastLoss) ? "no finite loss yet" : $"last finite loss {lastLoss:G5} at step {p.Step - 1}";
                    failure = $"training stopped at step {p.Step}: {what} ({last})";
                    step = p.Step - 1;
                    break;
                }
                lastLoss = value;
                smoothLoss = 0.95 * smoothLoss + 0.05 * value;
                smoothWeight = 0.95 * smoothWeight + 0.05;
                log?.Append(p.Step, value, p.Lr, p.Rate, p.Seconds);
            }
            foreach (var p in pending) { p.Loss.Dispose(); p.Norm.Dispose(); }
            pending.Clear();
            return failure;
        }

        bool TimeUp() => o.MaxTime is TimeSpan max && clock.Elapsed >= max;
        try
        {
            while (step < t.Steps)
            {
                var stepClock = Stopwatch.StartNew();
                double lr = schedule.At(step);
                optimizer.LearningRate = lr;
                bool timeUp = false, cancelled = false;
                Tensor stepLoss, stepNorm;
                using (torch.NewDisposeScope())
                {
                    var indices = sampler.Indices(step);
                    if (shard is { } sh) indices = indices[sh.Offset..(sh.Offset + sh.Count)];
                    var batch = data.IndexSelect(0, torch.FromArray(indices).To(data.Device));
                    var augmented = Augmenter.Apply(batch, t.Augment, size, dataRng, shard);
                    var draws = new BatchDraws(noiseRng, shard);
                    Tensor l, n;
                    if (dp is null) (l, n) = stepper.Run(augmented, draws);
                    else
                    {
                        // The allreduce sums the ranks' gradients before clipping, so every rank clips the whole batch's
                        // gradient (on the device) and takes the same step. The ranks' stop votes ride in the same
                        // collective and are read here: data-parallel training costs this one small host read per step
                        // (on Gloo the collective has already waited for every rank; docs/scale-out.md), so that every
                        // rank stops after the same step. A non-finite loss share makes the summed loss and gradients
                        // non-finite on every rank, found at the same deferred read everywhere.
                        var share = stepper.Backward(augmented, draws);
                        reduceClock.Start();
                        (l, var votes) = dp.Reduce(stepper.Parameters, share, TimeUp() ? 1 : 0, cancel.IsCancellationRequested ? 1 : 0);
                        reduceClock.Stop();
                        reduced++;
                        (timeUp, cancelled) = (votes[0] > 0, votes[1] > 0);
                        n = stepper.Update();
                    }
                    stepLoss = l.DetachFromDisposeScope();
                    stepNorm = n.DetachFromDisposeScope();
                }
                step++;
                double seconds = stepClock.Elapsed.TotalSeconds;
                double rate = t.Batch / Math.Max(seconds, 1e-9);
                speed = speed == 0 ? rate : 0.9 * speed + 0.1 * rate;
                pending.Add((step, stepLoss, stepNorm, lr, rate, priorSeconds + session.Elapsed.TotalSeconds));

                bool save = step % t.CheckpointEvery == 0 || step == t.Steps;
                // One process decides after the step; data-parallel ranks by their votes cast before it (all agree).
                if (dp is null) (timeUp, cancelled) = (TimeUp(), cancel.IsCancellationRequested);
                timeUp &= step < t.Steps;
                cancelled &= step < t.Steps;
                if (save || timeUp || cancelled || pending.Count >= readEvery)
                {
                    if (ReadPending() is string failure)
                        return Finish(TrainingOutcome.Diverged,
                            $"{failure}. Nothing was saved after step {lastSaved}; " +
                            $"{(lastSaved > 0 ? folder.CheckpointPath + " still holds that state" : "no checkpoint was written")}. " +
                            $"Try a lower learning rate (now {t.Lr:G3}), a longer warm-up or gradient clipping, and check the data for extreme values.");
                }
                var eta = TimeSpan.FromSeconds((t.Steps - step) * t.Batch / Math.Max(speed, 1e-9));
                monitor?.Progress(new TrainingProgress(step, t.Steps, smoothWeight > 0 ? smoothLoss / smoothWeight : double.NaN, lr, speed, clock.Elapsed, eta));

                if (save) Save();
                if (timeUp)
                {
                    Save();
                    return Finish(TrainingOutcome.TimeLimit, $"stopped at the time limit ({o.MaxTime!.Value.TotalMinutes:G4} min) after step {step} of {t.Steps}; checkpoint saved. Continue with: scorpio train --out {folder.Path} --resume");
                }
                if (cancelled)
                {
                    Save();
                    return Finish(TrainingOutcome.Cancelled, $"interrupted after step {step} of {t.Steps}; checkpoint saved. Continue with: scorpio train --out {folder.Path} --resume");
                }
            }
        }
        catch (Exception e) when (DiskFull.Is(e))
        {
            // Checkpoints are written to a temporary name and renamed: a failed write leaves the last one whole.
            string file = e is DiskFullException full ? full.Path : folder.LossLogPath;
            throw DiskFull.Error(file, e, lastSaved > 0
                ? $"training stopped at step {step}; {folder.CheckpointPath} still holds step {lastSaved}: free space, then continue with scorpio train --out {folder.Path} --resume"
                : $"training stopped at step {step}, before its first checkpoint: free space, then start again with scorpio train --out {folder.Path} --resume");
        }
        finally
        {
            foreach (var p in pending) { p.Loss.Dispose(); p.Norm.Dispose(); }
        }
        return Finish(TrainingOutcome.Completed, string.Create(CultureInfo.InvariantCulture,
            $"trained {step} steps in {folder.Path}: final loss {lastLoss:G5} (smoothed {smoothLoss / Math.Max(smoothWeight, 1e-12):G5}); model.safetensors holds the EMA weights"));
    }

    // A stable fingerprint of the configuration (string.GetHashCode differs between processes).
    private static long ConfigHash(RunConfig config) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ConfigJson.Serialize(config))), 0);

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
