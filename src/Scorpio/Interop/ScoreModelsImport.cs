using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Data;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Interop;

/// <summary>
/// Turns a score_models model (its hyperparameter JSON and a state dict) into a Scorpio run folder that every command
/// accepts: config.json (the network in its score_models-compatible layout, the SDE, no normalisation: score_models
/// models see the data as given) and model.safetensors. The weights are matched name by name
/// (<see cref="ScoreModelsNames"/>); missing, unexpected and mis-shaped tensors are refused with their names.
/// </summary>
public static partial class ScoreModelsImport
{
    /// <summary>Default image side recorded for sampling when the request and the file give none.</summary>
    public const int DefaultImageSize = 64;

    public static ScoreModelsImportResult Run(ScoreModelsImportRequest request)
    {
        var (checkpoint, hparamsFile, checkpointNumber) = Locate(request);
        var folder = new RunFolder(request.OutDir);
        if (File.Exists(folder.ConfigPath))
            throw new UserInputException($"{request.OutDir} already holds a run (config.json); choose another --out or remove it");
        var hp = ReadJson(hparamsFile);
        var arch = ScoreModelsHyperparameters.Parse(hp, hparamsFile);
        var notes = new List<string>(arch.Notes);
        RunConfig? scorpio = hp[ScoreModelsHyperparameters.ScorpioConfigKey] is JsonObject embedded
            ? ConfigJson.Parse(embedded.ToJsonString(), $"{hparamsFile} ({ScoreModelsHyperparameters.ScorpioConfigKey})")
            : null;
        var network = arch.Network;
        int channels = network.InChannels;
        int[] shape;
        if (network.ForVectors) shape = [channels];
        else
        {
            int size = request.ImageSize ?? scorpio?.Network.ImageSize ?? DefaultImageSize;
            int factor = 1 << (network.ChannelMult.Length - 1);
            if (size < factor || size % factor != 0)
                throw new InvalidSettingException("imageSize", $"{size} is not a multiple of {factor} (2^(levels-1) for this {network.ChannelMult.Length}-level network)");
            if (request.ImageSize is null && scorpio is null)
                notes.Add($"score_models records no image size: config.json says {size}x{size} (what `scorpio sample` draws; --size changes it); the network accepts any multiple of {factor}");
            network = network with { ImageSize = size, ChannelsLast = scorpio?.Network.ChannelsLast ?? false };
            shape = [channels, size, size];
        }
        var config = new RunConfig
        {
            Seed = scorpio?.Seed ?? request.Seed,
            Sde = arch.Sde,
            Network = network,
            Normalization = scorpio?.Normalization ?? new NormalizationConfig { Kind = "none" },
            Data = (scorpio?.Data ?? new DataConfig { Sources = [Path.GetFullPath(checkpoint)] }) with { Shape = shape },
            Training = scorpio?.Training ?? new TrainingConfig(),
        };

        using var rng = new Generator((ulong)config.Seed);
        using var net = NetworkFactory.Create(config.Network, rng);
        var names = ScoreModelsNames.For(net);
        var file = ScoreModelsStateDict.Read(checkpoint);
        var weights = new Dictionary<string, Tensor>();
        try
        {
            Match(file, names, net.StateDict(), checkpoint, hparamsFile, weights, notes);
            net.LoadStateDict(weights, strict: true);
            folder.WriteConfig(config);
            folder.WriteModel(net.StateDict(), config, checkpointNumber);
        }
        finally
        {
            foreach (var t in file) t.Value.Dispose();
            foreach (var t in weights.Values) t.Dispose();
        }
        long parameters = net.StateDict().Values.Sum(t => t.Numel);
        return new ScoreModelsImportResult(checkpoint, hparamsFile, arch.Layout, config, names.Count, parameters, notes);
    }

    // The file's tensors under Scorpio's names, float32; every expected tensor present once with its shape, nothing left over.
    private static void Match(List<KeyValuePair<string, Tensor>> file, IReadOnlyList<ScoreModelsName> names, Dictionary<string, Tensor> own,
        string checkpoint, string hparamsFile, Dictionary<string, Tensor> weights, List<string> notes)
    {
        string prefix = Prefix(file.Select(kv => kv.Key), names);
        var byName = new Dictionary<string, Tensor>();
        var unexpected = new List<string>();
        foreach (var (name, tensor) in file)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) byName[name[prefix.Length..]] = tensor;
            else unexpected.Add(name);
        }
        var expected = names.Select(n => n.ScoreModels).ToHashSet();
        unexpected.AddRange(byName.Keys.Where(k => !expected.Contains(k)).Select(k => prefix + k));
        var missing = names.Where(n => !byName.ContainsKey(n.ScoreModels)).Select(n => prefix + n.ScoreModels).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new UserInputException($"{checkpoint}: its tensors do not fit the network {hparamsFile} describes: " +
                (missing.Count > 0 ? $"missing {missing.Count} ({List(missing)})" : "") +
                (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                (unexpected.Count > 0 ? $"unexpected {unexpected.Count} ({List(unexpected)})" : "") +
                "; check that the hyperparameter file belongs to this checkpoint");
        var converted = new SortedSet<string>();
        foreach (var n in names)
        {
            var src = byName[n.ScoreModels];
            var target = own[n.Scorpio];
            if (!src.DType.IsFloatingPoint())
                throw new UserInputException($"{checkpoint}: tensor '{prefix}{n.ScoreModels}' holds {src.DType}, not floating-point weights");
            var want = n.NinWeight ? new[] { target.Size(0), target.Size(1) } : target.Shape;
            if (!src.Shape.SequenceEqual(want))
                throw new UserInputException($"{checkpoint}: tensor '{prefix}{n.ScoreModels}' has shape ({string.Join(", ", src.Shape)}), " +
                    $"the network of {hparamsFile} needs ({string.Join(", ", want)}) (Scorpio's {n.Scorpio})");
            if (src.DType != DType.Float32) converted.Add(src.DType.ToString());
            var value = src.To(DType.Float32);
            weights[n.Scorpio] = n.NinWeight ? Reshaped(value, target.Shape) : value;
        }
        if (converted.Count > 0) notes.Add($"{checkpoint}: weights converted from {string.Join(", ", converted)} to float32");
    }

    private static Tensor Reshaped(Tensor t, long[] shape)
    {
        using (t) return t.Reshape(shape).Contiguous();
    }

    // score_models' ScoreModel wrappers save their network under "model." or "net."; other checkpoints nest the
    // state dict under a key. The prefix is whatever precedes the first expected name.
    private static string Prefix(IEnumerable<string> fileNames, IReadOnlyList<ScoreModelsName> names)
    {
        string first = names[0].ScoreModels;
        foreach (var name in fileNames)
            if (name == first || name.EndsWith("." + first, StringComparison.Ordinal)) return name[..^first.Length];
        return "";
    }

    private static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(8)) + (names.Count > 8 ? $", ... and {names.Count - 8} more" : "");

    private static (string Checkpoint, string Hyperparameters, long Number) Locate(ScoreModelsImportRequest request)
    {
        string path = request.Checkpoint;
        string checkpoint;
        if (Directory.Exists(path))
        {
            var candidates = Directory.EnumerateFiles(path, "*checkpoint*")
                .Where(f => f.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)
                    || f.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                .Where(f => !Path.GetFileName(f).StartsWith("optimizer", StringComparison.Ordinal))
                .ToList();
            if (candidates.Count == 0)
                throw new UserInputException($"{path}: no checkpoint_*.pt (or .safetensors) in this folder; give the state-dict file itself with --checkpoint");
            checkpoint = candidates.OrderBy(Number).ThenBy(f => f, StringComparer.Ordinal).Last();
        }
        else if (File.Exists(path)) checkpoint = path;
        else throw new UserInputException($"--checkpoint {path}: no such file or folder");
        string hparams = request.Hyperparameters
            ?? Path.Combine(Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!, ScoreModelsHyperparameters.FileName);
        if (!File.Exists(hparams))
            throw new UserInputException($"{hparams}: not found; score_models keeps the network's hyperparameters there: give the JSON with --hparams FILE");
        return (checkpoint, hparams, Number(checkpoint));
    }

    // score_models numbers checkpoints by the last integer in the file name (checkpoint_1.2345e-02_007.pt is number 7).
    private static long Number(string file)
    {
        var digits = Digits().Matches(Path.GetFileNameWithoutExtension(file));
        return digits.Count > 0 && long.TryParse(digits[^1].Value, out var n) ? n : 0;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    private static JsonObject ReadJson(string path) =>
        SettingsText.ReadObject(path, "score_models' hyperparameters", "give the model folder's model_hparams.json");
}
