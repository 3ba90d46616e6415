using System.Globalization;
using Scorpio.Astro;
using Scorpio.Torch;
using Scorpio.Torch.Optim;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// What a checkpoint holds and how it is restored: "model.*" (current weights and buffers),
/// "ema.*", "opt.*", "rng.data" and "rng.noise" (generator states as uint8), "trainer.step";
/// metadata: step, cumulative seconds, last loss, config and version. model.safetensors is written
/// alongside with the EMA weights under the network's own names.
/// </summary>
internal static class Checkpoints
{
    /// <summary>
    /// Writes checkpoint.safetensors, then model.safetensors (each atomically). The checkpoint goes first so that weights on
    /// disk always have a checkpoint at their step or later; a kill between the two leaves an older model.safetensors, which
    /// <see cref="RefreshModel"/> rewrites on resume. <paramref name="checkpointWritten"/> runs between the two writes.
    /// </summary>
    public static void Save(RunFolder folder, RunConfig config, ScoreModel model, Adam optimizer, Ema ema,
        Generator dataRng, Generator noiseRng, long step, double seconds, double lastLoss, Action? checkpointWritten = null)
    {
        using var scope = torch.NewDisposeScope();
        var network = model.Network.StateDict();

        var state = new Dictionary<string, Tensor>();
        foreach (var (k, v) in network) state["model." + k] = v;
        foreach (var (k, v) in ema.StateDict()) state[k] = v;
        foreach (var (k, v) in optimizer.StateDict()) state[k] = v;
        state["rng.data"] = dataRng.GetState();
        state["rng.noise"] = noiseRng.GetState();
        state["trainer.step"] = torch.FromArray(new[] { step }, []);
        folder.WriteCheckpoint(state, new Dictionary<string, string>
        {
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
            ["last_loss"] = lastLoss.ToString("R", CultureInfo.InvariantCulture),
            ["config"] = ConfigJson.Serialize(config),
            ["scorpio_version"] = RunConfig.CurrentVersion,
        });
        checkpointWritten?.Invoke();
        WriteModel(folder, config, network, ema, step);
    }

    /// <summary>
    /// After a resume to <paramref name="step"/>: rewrites model.safetensors from the restored EMA when it is missing, damaged
    /// or from another step (the process was killed between the checkpoint and the model write). Returns true when it did.
    /// </summary>
    public static bool RefreshModel(RunFolder folder, RunConfig config, ScoreModel model, Ema ema, long step)
    {
        string? recorded = null;
        try
        {
            if (File.Exists(folder.ModelPath)) Safetensors.LoadMetadata(folder.ModelPath).TryGetValue("step", out recorded);
        }
        catch (Exception e) when (e is InvalidDataException or IOException) { }
        if (recorded == step.ToString(CultureInfo.InvariantCulture)) return false;
        using var scope = torch.NewDisposeScope();
        WriteModel(folder, config, model.Network.StateDict(), ema, step);
        return true;
    }

    // model.safetensors holds the EMA weights under the network's own names (buffers without a shadow as they are).
    private static void WriteModel(RunFolder folder, RunConfig config, Dictionary<string, Tensor> network, Ema ema, long step)
    {
        var shadow = ema.Shadow;
        folder.WriteModel(network.ToDictionary(kv => kv.Key, kv => shadow.TryGetValue(kv.Key, out var s) ? s : kv.Value), config, step);
    }

    /// <summary>Loads checkpoint.safetensors into the training objects; returns (step, cumulative seconds).</summary>
    public static (long Step, double Seconds) Restore(RunFolder folder, ScoreModel model, Adam optimizer, Ema ema, Generator dataRng, Generator noiseRng)
    {
        var (tensors, metadata) = folder.ReadCheckpoint();
        try
        {
            Tensor Need(string key) => tensors.TryGetValue(key, out var v) ? v
                : throw new UserInputException($"{folder.CheckpointPath} was refused: it has no '{key}' entry (not a Scorpio training checkpoint, or from another version)");
            var weights = tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value);
            long step = Need("trainer.step").ToLong();
            var dataState = Need("rng.data");
            var noiseState = Need("rng.noise");
            try
            {
                model.Network.LoadStateDict(weights, strict: true);
                ema.LoadStateDict(tensors);
                optimizer.LoadStateDict(tensors);
            }
            catch (ArgumentException e)
            {
                throw new UserInputException($"{folder.CheckpointPath} does not match the network in {folder.ConfigPath}: {e.Message}");
            }
            dataRng.SetState(dataState);
            noiseRng.SetState(noiseState);
            double seconds = metadata.TryGetValue("seconds", out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
            return (step, seconds);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
