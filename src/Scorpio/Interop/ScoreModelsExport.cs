using System.Text.Json;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Torch.Serialization;
using Scorpio.Training;

namespace Scorpio.Interop;

/// <summary>
/// Writes a Scorpio run's weights with score_models' parameter names, as a PyTorch .pt state dict (torch.save's format,
/// written without Python) or a .safetensors file, and score_models' hyperparameter file beside it, so that
/// <c>ScoreModel(path=FOLDER)</c> or <c>net.load_state_dict(torch.load(FILE))</c> rebuilds the same network in Python.
/// Runs whose network or SDE score_models cannot build are refused with the setting named.
/// </summary>
public static class ScoreModelsExport
{
    /// <summary>Export formats: pytorch (.pt) and safetensors.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["pytorch", "safetensors"];

    /// <summary>
    /// Exports <paramref name="runDir"/> to <paramref name="outFile"/> in <paramref name="format"/> (null: from the file's
    /// extension) and writes model_hparams.json in the same folder. Returns the hyperparameter file's path.
    /// </summary>
    public static string Run(string runDir, string? format, string outFile)
    {
        format ??= Path.GetExtension(outFile).ToLowerInvariant() switch
        {
            ".pt" or ".pth" => "pytorch",
            ".safetensors" => "safetensors",
            _ => throw new InvalidSettingException("format", $"is not given and {outFile}'s extension does not say it: use pytorch (.pt) or safetensors"),
        };
        if (!Formats.Contains(format)) throw new InvalidSettingException("format", $"'{format}' is not one of {string.Join(", ", Formats)}");
        var folder = new RunFolder(runDir);
        var config = folder.ReadConfig();
        var hp = ScoreModelsHyperparameters.Write(config);
        var weights = folder.ReadModelWeights();
        try
        {
            using var rng = new Generator((ulong)config.Seed);
            using var net = NetworkFactory.Create(config.Network, rng);
            var names = ScoreModelsNames.For(net);
            var theirs = new List<KeyValuePair<string, Tensor>>();
            using var scope = torch.NewDisposeScope();
            foreach (var n in names)
            {
                if (!weights.TryGetValue(n.Scorpio, out var t))
                    throw new UserInputException($"{folder.ModelPath}: no tensor '{n.Scorpio}', which {folder.ConfigPath}'s network has");
                theirs.Add(new(n.ScoreModels, n.NinWeight ? t.Reshape(t.Size(0), t.Size(1)) : t));
            }
            if (format == "pytorch") PtFile.Save(outFile, theirs);
            else Safetensors.Save(outFile, theirs.ToDictionary(kv => kv.Key, kv => kv.Value), new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        string hparamsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outFile))!, ScoreModelsHyperparameters.FileName);
        AtomicFile.WriteAllText(hparamsPath, hp.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return hparamsPath;
    }
}
