using System.Security.Cryptography;
using System.Text;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// The files of one training run: <c>config.json</c> (everything needed to rebuild the model),
/// <c>model.safetensors</c> (EMA weights, what sampling uses), <c>checkpoint.safetensors</c>
/// (weights, EMA, optimiser and RNG state, step) and <c>loss.csv</c>. Every write is atomic
/// (temporary file then rename) and every safetensors file carries a SHA-256 of its tensors in its
/// metadata, so a truncated or corrupted file is refused with a message naming it, and a crash
/// during a write leaves the previous file intact. A process training the run holds its lock file
/// (<see cref="FolderLock.FileName"/>, <see cref="Lock"/>).
/// </summary>
public sealed class RunFolder(string path)
{
    /// <summary>The run folder.</summary>
    public string Path { get; } = path;
    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");
    public string ModelPath => System.IO.Path.Combine(Path, "model.safetensors");
    public string CheckpointPath => System.IO.Path.Combine(Path, "checkpoint.safetensors");
    public string LossLogPath => System.IO.Path.Combine(Path, "loss.csv");

    /// <summary>
    /// The files a run owns (and any command must not replace): its configuration, weights, checkpoint, loss log, a noise
    /// model's description and the lock file.
    /// </summary>
    public static readonly IReadOnlyList<string> OwnFiles =
        ["config.json", "model.safetensors", "checkpoint.safetensors", "loss.csv", NoiseModels.NoiseModelInfo.FileName, FolderLock.FileName];

    /// <summary>True when <paramref name="file"/> is one of <see cref="OwnFiles"/> in a folder holding a run (a config.json).</summary>
    public static bool IsRunFile(string file)
    {
        string full = System.IO.Path.GetFullPath(file);
        string? dir = System.IO.Path.GetDirectoryName(full);
        return dir is not null && OwnFiles.Contains(System.IO.Path.GetFileName(full)) && File.Exists(System.IO.Path.Combine(dir, "config.json"));
    }

    /// <summary>
    /// Takes the run's lock (<see cref="FolderLock"/>: a second process on the same run is refused, a lock left by a killed
    /// process is taken over) and removes the temporary files a killed writer left behind, which only the holder may do.
    /// <paramref name="notice"/> hears about a stale lock or removed files.
    /// </summary>
    public FolderLock Lock(Action<string>? notice = null)
    {
        var held = FolderLock.Acquire(Path, "the training run");
        try
        {
            if (held.TookOverFrom is { } stale) notice?.Invoke($"took over the lock of {Path} left by {stale}, which is no longer running");
            var leftovers = OwnFiles.SelectMany(f => Safetensors.TemporaryFiles(System.IO.Path.Combine(Path, f))
                    .Concat(Directory.EnumerateFiles(Path, "." + f + ".*.tmp")))
                .Distinct().ToList();
            foreach (var f in leftovers) File.Delete(f);
            if (leftovers.Count > 0) notice?.Invoke($"removed {leftovers.Count} temporary file(s) left in {Path} by an interrupted write");
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>True when the folder holds a config.json but no checkpoint and no weights: a run stopped before its first checkpoint.</summary>
    public bool NeverCheckpointed => File.Exists(ConfigPath) && !File.Exists(CheckpointPath) && !File.Exists(ModelPath);

    /// <summary>Metadata key of the tensors' checksum.</summary>
    public const string ChecksumKey = "sha256";

    /// <summary>Reads config.json; errors name the folder or file.</summary>
    public RunConfig ReadConfig()
    {
        if (!Directory.Exists(Path)) throw new UserInputException($"run folder not found: {Path}");
        if (!File.Exists(ConfigPath)) throw new UserInputException($"{Path}: not a Scorpio run folder (no config.json); train one with `scorpio train --out {Path}`");
        var config = ConfigJson.Load(ConfigPath);
        ConfigChecks.CheckTrained(config, ConfigPath);
        return config;
    }

    /// <summary>Writes config.json atomically.</summary>
    public void WriteConfig(RunConfig config)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(ConfigPath, ConfigJson.Serialize(config) + "\n");
    }

    /// <summary>Reads the EMA weights from model.safetensors (validated; the caller disposes the tensors).</summary>
    public Dictionary<string, Tensor> ReadModelWeights()
    {
        if (!File.Exists(ModelPath)) throw new UserInputException($"{Path}: no model.safetensors yet (training has not written a checkpoint)");
        return ReadVerified(ModelPath).Tensors;
    }

    /// <summary>Writes model.safetensors with metadata (config, step, version) and a checksum.</summary>
    public void WriteModel(IReadOnlyDictionary<string, Tensor> weights, RunConfig config, long step) =>
        WriteVerified(ModelPath, weights, new Dictionary<string, string>
        {
            ["format"] = "scorpio-model",
            ["config"] = ConfigJson.Serialize(config),
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["scorpio_version"] = RunConfig.CurrentVersion,
        });

    /// <summary>Writes checkpoint.safetensors atomically with a checksum.</summary>
    public void WriteCheckpoint(IReadOnlyDictionary<string, Tensor> state, IReadOnlyDictionary<string, string> metadata) =>
        WriteVerified(CheckpointPath, state, new Dictionary<string, string>(metadata) { ["format"] = "scorpio-checkpoint" });

    /// <summary>Reads and verifies checkpoint.safetensors (the caller disposes the tensors).</summary>
    public (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) ReadCheckpoint()
    {
        if (!File.Exists(CheckpointPath)) throw new UserInputException($"{Path}: no checkpoint.safetensors to resume from");
        return ReadVerified(CheckpointPath);
    }

    /// <summary>
    /// Loads a safetensors file and checks its structure and SHA-256; any problem throws a
    /// <see cref="UserInputException"/> that names the file.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) ReadVerified(string file)
    {
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        try { (tensors, metadata) = Safetensors.Load(file); }
        catch (InvalidDataException e) { throw new UserInputException($"{e.Message}; the file is damaged and was refused: restore it from a copy or retrain"); }
        catch (IOException e) { throw new UserInputException($"{file} could not be read: {e.Message}"); }
        if (!metadata.TryGetValue(ChecksumKey, out var expected))
        {
            Dispose(tensors);
            throw new UserInputException($"{file} was refused: it has no '{ChecksumKey}' checksum in its metadata (not written by Scorpio, or damaged)");
        }
        var actual = Checksum(tensors);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            Dispose(tensors);
            throw new UserInputException($"{file} is damaged and was refused: its tensors' SHA-256 is {actual[..12]}..., the file records {expected[..Math.Min(12, expected.Length)]}...");
        }
        return (tensors, metadata);
    }

    private static void WriteVerified(string file, IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata[ChecksumKey] = Checksum(tensors);
        try { Safetensors.Save(file, tensors, metadata); }
        catch (IOException e)
        {
            DiskFull.Rethrow(file, e);
            throw;
        }
    }

    /// <summary>SHA-256 over every tensor's name, dtype, shape and bytes, in name order.</summary>
    public static string Checksum(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in tensors.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var t = tensors[name];
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}|{t.DType}|{string.Join(",", t.Shape)}|"));
            sha.AppendData(t.ToBytes());
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
