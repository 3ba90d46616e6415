using System.Globalization;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Networks;
using Scorpio.Training;

namespace Scorpio.Interop;

/// <summary>
/// Reads and writes score_models' hyperparameter files (model_hparams.json: the network's constructor arguments, the
/// SDE's and <c>model_architecture</c>). Reading maps NCSNpp to Scorpio's <see cref="NcsnppNetwork"/> in its
/// score_models layout, DDPM to <see cref="HoUNet"/>, MLP to <see cref="TimeConcatMlp"/>, and the VE and VP SDEs
/// (the VP's cosine schedule as <see cref="Diffusion.ClippedCosineVpSde"/>); every setting Scorpio cannot reproduce
/// exactly is refused with a <see cref="NotRepresentableException"/> that names the key and its value. Missing keys take score_models' defaults of the layout the file follows: 0.5 files
/// carry <c>condition</c>/<c>conditioning</c> keys, 0.6 files <c>conditions</c>.
/// </summary>
public static class ScoreModelsHyperparameters
{
    /// <summary>The conventional file name in a score_models model folder.</summary>
    public const string FileName = "model_hparams.json";

    /// <summary>The key under which an export stores the Scorpio run's own configuration (score_models ignores it).</summary>
    public const string ScorpioConfigKey = "scorpio_config";

    /// <summary>The architecture <paramref name="hp"/> describes; <paramref name="source"/> names the file in messages.</summary>
    public static ScoreModelsArchitecture Parse(JsonObject hp, string source)
    {
        var r = new Reader(hp, source);
        bool v05 = hp.ContainsKey("conditioning") || hp.ContainsKey("condition");
        string arch = (r.String("model_architecture") ?? "ncsnpp").ToLowerInvariant();
        var network = arch switch
        {
            "ncsnpp" => Ncsnpp(r, v05),
            "ddpm" => Ddpm(r, v05),
            "mlp" => Mlp(r),
            _ => throw new NotRepresentableException($"{source}: model_architecture '{arch}' is not one Scorpio imports (ncsnpp, ddpm, mlp)"),
        };
        Conditions(r);
        var sde = Sde(r, v05);
        r.Consume(ScorpioConfigKey, "init_scale", "epsilon", "dimensions", "device");
        var notes = new List<string>();
        var unused = r.Unused().ToList();
        if (unused.Count > 0) notes.Add($"{source}: ignored keys that do not change the network or the SDE: {string.Join(", ", unused)}");
        return new ScoreModelsArchitecture(network, sde, v05 ? "0.5" : "0.6", notes);
    }

    /// <summary>
    /// The hyperparameter file score_models needs to rebuild <paramref name="config"/>'s network and SDE (0.6 layout; the
    /// 0.5 layout for a DDPM imported from 0.5, whose time embedding 0.6 builds differently), plus the Scorpio
    /// configuration under <see cref="ScorpioConfigKey"/> so that importing the export gives the same run back.
    /// Networks and SDEs score_models cannot build throw <see cref="NotRepresentableException"/> naming the setting.
    /// </summary>
    public static JsonObject Write(RunConfig config)
    {
        var n = config.Network;
        var hp = new JsonObject();
        switch (config.Sde.Name)
        {
            case "ve":
                hp["sde"] = "ve"; hp["sigma_min"] = config.Sde.SigmaMin ?? 0.01;
                hp["sigma_max"] = config.Sde.SigmaMax ?? throw new NotRepresentableException("the run's VE SDE has no sigma_max");
                hp["T"] = 1.0;
                break;
            case "vp" or "vp-cosine-clipped":
                hp["sde"] = "vp"; hp["beta_min"] = config.Sde.BetaMin; hp["beta_max"] = config.Sde.BetaMax; hp["T"] = 1.0;
                hp["epsilon"] = 1e-3; hp["schedule"] = config.Sde.Name == "vp" ? "linear" : "cosine";
                break;
            default:
                throw new NotRepresentableException($"sde.name = {config.Sde.Name}: score_models' ScoreModel takes the VE and VP SDEs (vp: linear schedule; vp-cosine-clipped: its cosine schedule)");
        }
        if (n.Embedding != "fourier") throw new NotRepresentableException($"network.embedding = {n.Embedding}: score_models' networks embed time with Gaussian Fourier features");
        var mult = new JsonArray(n.ChannelMult.Select(m => (JsonNode)m).ToArray());
        switch (n.Arch)
        {
            case "ncsnpp":
                for (int i = 0; i < n.ChannelMult.Length; i++)
                    if (n.AttentionResolutions.Contains(n.ImageSize >> i))
                        throw new NotRepresentableException($"network.attentionResolutions = [{string.Join(", ", n.AttentionResolutions)}]: score_models' NCSNpp attends in the middle only");
                if (n.MiddleAttention && (n.AttentionBlock != "plain" || n.Heads != 1))
                    throw new NotRepresentableException($"network.attentionBlock = {n.AttentionBlock}, heads = {n.Heads}: score_models' attention block is 'plain' with one head");
                hp["channels"] = n.InChannels; hp["nf"] = n.Width; hp["activation_type"] = "swish"; hp["ch_mult"] = mult;
                hp["num_res_blocks"] = n.BlocksPerLevel; hp["resample_with_conv"] = true; hp["dropout"] = n.Dropout; hp["fir"] = n.Fir;
                hp["fir_kernel"] = new JsonArray(1, 3, 3, 1); hp["skip_rescale"] = n.SkipRescale; hp["progressive"] = n.Progressive;
                hp["progressive_input"] = n.ProgressiveInput; hp["init_scale"] = 1e-2; hp["fourier_scale"] = n.FourierScale;
                hp["resblock_type"] = "biggan"; hp["combine_method"] = n.CombineMethod; hp["attention"] = n.MiddleAttention; hp["dimensions"] = 2;
                hp["conditions"] = null; hp["condition_embeddings"] = null; hp["condition_channels"] = null;
                break;
            case "ddpm-ho":
                hp["channels"] = n.InChannels; hp["dimensions"] = 2; hp["nf"] = n.Width; hp["activation_type"] = n.Activation; hp["ch_mult"] = mult;
                hp["num_res_blocks"] = n.BlocksPerLevel; hp["resample_with_conv"] = n.ResampleWithConv; hp["dropout"] = n.Dropout; hp["attention"] = n.MiddleAttention;
                if (n.EmbeddingActivation) { hp["fourier_scale"] = n.FourierScale; hp["conditions"] = null; hp["condition_embeddings"] = null; hp["condition_channels"] = null; }
                else if (n.FourierScale != 30.0) throw new NotRepresentableException($"network.fourierScale = {n.FourierScale} without an embedding activation: score_models 0.5's DDPM has scale 30");
                else hp["conditioning"] = new JsonArray("None");
                break;
            case "mlp-concat":
                hp["channels"] = n.InChannels; hp["width"] = n.Width; hp["layers"] = n.MlpLayers; hp["fourier_scale"] = n.FourierScale;
                hp["activation"] = n.Activation; hp["attention"] = false; hp["nn_is_energy"] = false; hp["output_activation"] = null;
                hp["conditions"] = null; hp["condition_channels"] = null; hp["condition_embeddings"] = null;
                break;
            default:
                throw new NotRepresentableException($"network.arch = {n.Arch}: score_models has no such network (export ncsnpp in its score_models layout, ddpm-ho or mlp-concat)");
        }
        hp["model_architecture"] = n.Arch switch { "ncsnpp" => "ncsnpp", "ddpm-ho" => "ddpm", _ => "mlp" };
        hp[ScorpioConfigKey] = JsonNode.Parse(ConfigJson.Serialize(config));
        return hp;
    }

    private static NetworkConfig Ncsnpp(Reader r, bool v05)
    {
        r.Dimensions();
        string activation = r.String("activation_type") ?? "swish";
        if (activation is not ("swish" or "silu"))
            throw r.Cannot("activation_type", activation, "Scorpio's NCSN++ uses SiLU (swish)");
        var firKernel = r.Ints("fir_kernel") ?? [1, 3, 3, 1];
        if (!firKernel.SequenceEqual([1, 3, 3, 1])) throw r.Cannot("fir_kernel", $"[{string.Join(", ", firKernel)}]", "Scorpio's FIR resampling uses (1, 3, 3, 1)");
        string resblock = r.String("resblock_type") ?? "biggan";
        if (resblock != "biggan") throw r.Cannot("resblock_type", resblock, "Scorpio's NCSN++ has BigGAN residual blocks");
        string progressive = r.String("progressive") ?? "output_skip";
        if (progressive is not ("none" or "output_skip")) throw r.Cannot("progressive", progressive, "Scorpio's NCSN++ supports none and output_skip");
        string progressiveInput = r.String("progressive_input") ?? "input_skip";
        if (progressiveInput is not ("none" or "input_skip")) throw r.Cannot("progressive_input", progressiveInput, "Scorpio's NCSN++ supports none and input_skip");
        string combine = r.String("combine_method") ?? (v05 ? "sum" : "cat");
        if (combine is not ("cat" or "sum")) throw r.Cannot("combine_method", combine, "score_models knows cat and sum");
        r.Consume("resample_with_conv");                 // used by score_models' ddpm-type blocks only
        return new NetworkConfig
        {
            Arch = "ncsnpp", InChannels = r.Int("channels") ?? 1, Width = r.Int("nf") ?? 128,
            ChannelMult = r.Ints("ch_mult") ?? [2, 2, 2, 2], BlocksPerLevel = r.Int("num_res_blocks") ?? 2,
            AttentionResolutions = [], Dropout = r.Double("dropout") ?? 0.0, Embedding = "fourier",
            FourierScale = r.Double("fourier_scale") ?? 16.0, SkipRescale = r.Bool("skip_rescale") ?? true, Fir = r.Bool("fir") ?? true,
            Heads = 1, AttentionBlock = "plain", MiddleAttention = r.Bool("attention") ?? true,
            Progressive = progressive, ProgressiveInput = progressiveInput, CombineMethod = combine,
        };
    }

    private static NetworkConfig Ddpm(Reader r, bool v05)
    {
        r.Dimensions();
        string activation = r.String("activation_type") ?? "relu";
        try { ActivationExtensions.Parse(activation); }
        catch (ArgumentException) { throw r.Cannot("activation_type", activation, $"Scorpio knows {string.Join(", ", ActivationExtensions.Names)}"); }
        return new NetworkConfig
        {
            Arch = "ddpm-ho", InChannels = r.Int("channels") ?? 1, Width = r.Int("nf") ?? 128,
            ChannelMult = r.Ints("ch_mult") ?? (v05 ? [1, 1, 2, 2, 4, 4] : [2, 2]), BlocksPerLevel = r.Int("num_res_blocks") ?? 2,
            AttentionResolutions = [], Dropout = r.Double("dropout") ?? 0.0, Embedding = "fourier",
            // score_models 0.5's DDPM has a fixed Fourier scale of 30 and no activation inside its time MLP.
            FourierScale = v05 ? 30.0 : r.Double("fourier_scale") ?? 30.0, EmbeddingActivation = !v05,
            Activation = activation, MiddleAttention = r.Bool("attention") ?? true, ResampleWithConv = r.Bool("resample_with_conv") ?? true,
            SkipRescale = false,
        };
    }

    private static NetworkConfig Mlp(Reader r)
    {
        if (r.Has("units") || r.Has("time_embedding_dimensions"))
            throw new NotRepresentableException($"{r.Source}: this is score_models 0.5's MLP (keys units, time_embedding_dimensions), " +
                "whose layout Scorpio does not import; score_models 0.6's MLP (keys width, layers) is supported");
        if (r.Bool("attention") == true) throw r.Cannot("attention", "true", "Scorpio's MLP has no attention layer");
        if (r.Bool("nn_is_energy") == true) throw r.Cannot("nn_is_energy", "true", "Scorpio's networks output the score, not an energy");
        r.Consume("output_activation");
        string activation = r.String("activation") ?? "silu";
        try { ActivationExtensions.Parse(activation); }
        catch (ArgumentException) { throw r.Cannot("activation", activation, $"Scorpio knows {string.Join(", ", ActivationExtensions.Names)}"); }
        return new NetworkConfig
        {
            Arch = "mlp-concat", InChannels = r.Int("channels") ?? throw new NotRepresentableException($"{r.Source}: the MLP's 'channels' (the vector dimension) is missing"),
            Width = r.Int("width") ?? 100, MlpLayers = r.Int("layers") ?? 4, Embedding = "fourier",
            FourierScale = r.Double("fourier_scale") ?? 16.0, Activation = activation,
        };
    }

    private static void Conditions(Reader r)
    {
        foreach (var key in new[] { "conditions", "condition", "conditioning" })
        {
            var values = r.Strings(key);
            if (values is null || values.All(v => v.Equals("none", StringComparison.OrdinalIgnoreCase))) continue;
            throw r.Cannot(key, $"[{string.Join(", ", values)}]", "Scorpio's networks are conditioned on the time only");
        }
        r.Consume("condition_embeddings", "condition_channels", "condition_num_embedding", "condition_input_channels",
            "condition_vector_channels", "conditioning_channels");
    }

    private static SdeConfig Sde(Reader r, bool v05)
    {
        string? name = r.String("sde")?.ToLowerInvariant();
        name = name switch
        {
            "vesde" => "ve",
            "vpsde" => "vp",
            null when r.Has("sigma_min") || r.Has("sigma_max") => "ve",
            null when r.Has("beta_min") || r.Has("beta_max") => "vp",
            null => throw new NotRepresentableException($"{r.Source}: no SDE: neither 'sde' nor sigma_min/sigma_max (VE) or beta_min/beta_max (VP)"),
            _ => name,
        };
        double T = r.Double("T") ?? 1.0;
        if (T != 1.0) throw r.Cannot("T", T.ToString(CultureInfo.InvariantCulture), "Scorpio's VE and VP SDEs run over t in [0, 1]");
        switch (name)
        {
            case "ve":
                return new SdeConfig
                {
                    Name = "ve",
                    SigmaMin = r.Double("sigma_min") ?? throw new NotRepresentableException($"{r.Source}: the VE SDE's sigma_min is missing"),
                    SigmaMax = r.Double("sigma_max") ?? throw new NotRepresentableException($"{r.Source}: the VE SDE's sigma_max is missing"),
                };
            case "vp":
                string schedule = r.String("schedule") ?? (v05 ? "linear" : "cosine");
                var vp = new SdeConfig { Name = "vp", BetaMin = r.Double("beta_min") ?? 0.1, BetaMax = r.Double("beta_max") ?? 20.0 };
                return schedule switch
                {
                    "linear" => vp,
                    "cosine" => vp with { Name = "vp-cosine-clipped" },
                    _ => throw r.Cannot("schedule", schedule, "score_models' VP schedules are linear and cosine"),
                };
            default:
                throw r.Cannot("sde", name, "Scorpio imports the VE and VP SDEs");
        }
    }

    /// <summary>Reads keys of a hyperparameter object, remembering which were used; type errors name the key.</summary>
    private sealed class Reader(JsonObject hp, string source)
    {
        private readonly HashSet<string> _used = new();
        public string Source { get; } = source;

        public bool Has(string key) => hp.ContainsKey(key) && hp[key] is not null;
        public void Consume(params string[] keys) => _used.UnionWith(keys);
        public IEnumerable<string> Unused() => hp.Select(kv => kv.Key).Where(k => !_used.Contains(k));

        public NotRepresentableException Cannot(string key, string value, string why) =>
            new($"{Source}: {key} = {value} cannot be represented: {why}");

        private JsonNode? Get(string key)
        {
            _used.Add(key);
            return hp.TryGetPropertyValue(key, out var v) ? v : null;
        }

        private UserInputException Wrong(string key, string expected) =>
            new($"{Source}: key '{key}' should be {expected}, got {Get(key)?.ToJsonString()}");

        public string? String(string key) => Get(key) switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw Wrong(key, "a string"),
        };

        public double? Double(string key) => Get(key) switch
        {
            null => null,
            JsonValue v when v.TryGetValue<double>(out var d) => d,
            _ => throw Wrong(key, "a number"),
        };

        public int? Int(string key) => Get(key) switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
            _ => throw Wrong(key, "an integer"),
        };

        public bool? Bool(string key) => Get(key) switch
        {
            null => null,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw Wrong(key, "true or false"),
        };

        public int[]? Ints(string key) => Get(key) switch
        {
            null => null,
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw Wrong(key, "a list of integers")).ToArray(),
            _ => throw Wrong(key, "a list of integers"),
        };

        public string[]? Strings(string key) => Get(key) switch
        {
            null => null,
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Wrong(key, "a list of strings")).ToArray(),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => throw Wrong(key, "a list of strings"),
        };

        public void Dimensions()
        {
            int d = Int("dimensions") ?? 2;
            if (d != 2) throw Cannot("dimensions", d.ToString(CultureInfo.InvariantCulture), "Scorpio's image networks are 2-D");
        }
    }
}
