using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;

namespace Scorpio.Training;

/// <summary>
/// Reads and writes <see cref="RunConfig"/> as JSON with camelCase keys (config.json, <c>--config</c>
/// files). Every key is written, so a config file documents itself; keys missing from a file take
/// their defaults; an unknown key is an error that names it and lists the valid keys at that level.
/// </summary>
public static class ConfigJson
{
    /// <summary>The serializer settings (camelCase, indented, nulls written).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The configuration as indented JSON.</summary>
    public static string Serialize(RunConfig config) => JsonSerializer.Serialize(config, Options);

    /// <summary>
    /// Parses <paramref name="json"/> (from <paramref name="source"/>, used in messages). Unknown keys,
    /// values of the wrong type and invalid JSON throw <see cref="UserInputException"/> naming the key.
    /// </summary>
    public static RunConfig Parse(string json, string source)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new UserInputException($"{source}: not valid JSON: {MessageText.OneLine(e.Message, 200)}"); }
        if (node is not JsonObject obj) throw new UserInputException($"{source}: the configuration must be a JSON object {{ ... }}");
        // JsonObject reads its members on first use and throws ArgumentException for a key given twice in one object.
        try { CheckKeys(obj, typeof(RunConfig), "", source); }
        catch (ArgumentException e) { throw new UserInputException($"{source}: a key appears twice in one object ({MessageText.OneLine(e.Message, 120)}); keep one of them"); }
        RunConfig config;
        try
        {
            config = obj.Deserialize<RunConfig>(Options) ?? throw new UserInputException($"{source}: empty configuration");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            string key = e is JsonException j ? (j.Path ?? "").TrimStart('$', '.') : "?";
            throw new UserInputException($"{source}: key '{key}' has a value of the wrong type ({MessageText.OneLine(FirstLine(e.Message), 200)})");
        }
        // Null sections ("sde": null) take their defaults, as missing ones do.
        config = config with
        {
            Sde = config.Sde ?? new(), Network = config.Network ?? new(), Normalization = config.Normalization ?? new(),
            Data = config.Data ?? new(), Training = config.Training ?? new(),
        };
        ConfigChecks.Check(config, source, customLoss: NoiseModels.ModifiedKernelDsmLoss.LossName);
        return config;
    }

    /// <summary>Reads and parses a config file; errors name the file.</summary>
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"config file not found: {path}");
        return Parse(SettingsText.Read(path, "a configuration file"), path);
    }

    /// <summary>True when the JSON file <paramref name="path"/> sets the key at <paramref name="keys"/> (e.g. "network", "imageSize").</summary>
    public static bool HasKey(string path, params string[] keys)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(SettingsText.Read(path, "a configuration file"), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (Exception e) when (e is JsonException or ArgumentException) { throw new UserInputException($"{path}: not valid JSON: {MessageText.OneLine(e.Message, 200)}"); }
        foreach (var k in keys)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(k, out node)) return false;
        }
        return node is not null;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    // Walks the JSON against the record's properties so typos fail loudly instead of being ignored.
    private static void CheckKeys(JsonObject obj, Type type, string prefix, string source)
    {
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || p.SetMethod is not null)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => p);
        foreach (var (key, value) in obj)
        {
            if (!props.TryGetValue(key, out var prop))
                throw new UserInputException(
                    $"{source}: unknown configuration key '{prefix}{key}'; valid keys{(prefix == "" ? "" : " in '" + prefix.TrimEnd('.') + "'")}: {string.Join(", ", props.Keys)}");
            if (value is JsonObject child && IsConfigRecord(prop.PropertyType))
                CheckKeys(child, prop.PropertyType, prefix + key + ".", source);
        }
    }

    /// <summary>True for the config records nested in <see cref="RunConfig"/> (JSON objects), false for leaf values.</summary>
    internal static bool IsConfigRecord(Type t) =>
        t.IsClass && t != typeof(string) && !t.IsArray && t.Namespace is "Scorpio.Training" or "Scorpio.Data" or "Scorpio.Networks";
}
