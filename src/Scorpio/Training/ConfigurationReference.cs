using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Scorpio.Networks;

namespace Scorpio.Training;

/// <summary>
/// The configuration reference (docs/configuration.md), generated from the code so that it cannot drift: every
/// config.json key found by walking <see cref="RunConfig"/>'s records by reflection and named as <see cref="ConfigJson"/>
/// names them, its JSON type, its default (a default <see cref="RunConfig"/> serialised by <see cref="ConfigJson"/>) and
/// its meaning (the property's XML doc comment, from the documentation file the compiler writes next to the assembly).
/// Also computed from the code: the values each SDE takes where an <c>sde</c> key is null, and the network presets.
/// </summary>
public static class ConfigurationReference
{
    /// <summary>The command that rewrites the committed reference.</summary>
    public const string RegenerateCommand = "bin/scorpio config reference --out docs/configuration.md --overwrite";

    /// <summary>One config.json key: its dotted path, JSON type, default (JSON text) and meaning (Markdown).</summary>
    public sealed record Key(string Path, string Type, string Default, string Meaning);

    /// <summary>One config record (a JSON object): its dotted path ("" for the top level), meaning and keys.</summary>
    public sealed record Section(string Path, string Meaning, IReadOnlyList<Key> Keys);

    /// <summary>
    /// Every section and key, in declaration order. <paramref name="documentationFile"/> is the compiler's XML
    /// documentation of this assembly (default: the .xml next to it).
    /// </summary>
    public static IReadOnlyList<Section> Sections(string? documentationFile = null)
    {
        var docs = new XmlDocs(documentationFile ?? DefaultDocumentationFile());
        var defaults = JsonNode.Parse(ConfigJson.Serialize(new RunConfig()))!.AsObject();
        var sections = new List<Section>();
        var keyPaths = new Dictionary<string, string>();
        Collect(typeof(RunConfig), "", defaults, keyPaths, sections);
        // Meanings are rendered once every key path is known, so a cref to another key reads as that key.
        return sections.Select(s => s with
        {
            Meaning = docs.Summary(s.Meaning, keyPaths),
            Keys = s.Keys.Select(k => k with { Meaning = docs.Summary(k.Meaning, keyPaths) }).ToList(),
        }).ToList();
    }

    /// <summary>The whole reference as Markdown (docs/configuration.md).</summary>
    public static string Markdown(string? documentationFile = null)
    {
        var sections = Sections(documentationFile);
        var md = new StringBuilder();
        md.Append("# Configuration reference\n\n");
        md.Append($"<!-- Generated from the code by `{RegenerateCommand}`; do not edit by hand: ");
        md.Append("tests/Scorpio.Tests/Training/ConfigurationReferenceTests.cs fails when this file is out of date. -->\n\n");
        md.Append("Every key of a run folder's `config.json`, which is also the format of `scorpio train --config FILE.json` ");
        md.Append("(`--print-config` prints the effective configuration). Keys are camelCase and nested as below (`sde.name` is ");
        md.Append("`{ \"sde\": { \"name\": ... } }`); a key missing from a file takes the default shown, an unknown key is an error ");
        md.Append("that lists the valid ones. Precedence: these defaults, then the `--config` file, then `--preset` (or the ");
        md.Append("architecture's CPU preset when only `--arch` changes it), then the individual flags. `scorpio train-noise` ");
        md.Append("starts from the same defaults with `normalization.kind` = `standardize` and no rotations. When a run starts, ");
        md.Append("the keys described as *Fitted*, the `data` section, `network.inChannels` and `network.imageSize`, and VE's ");
        md.Append("`sde.sigmaMax` are filled in from the training data, so that a run's `config.json` alone rebuilds its model.\n\n");
        md.Append("Types are JSON types; `a or null` keys may be `null`. Defaults are JSON values.\n");
        foreach (var s in sections)
        {
            md.Append(s.Path == "" ? "\n## Top level\n\n" : $"\n## `{s.Path}`\n\n");
            md.Append(s.Meaning).Append("\n\n");
            md.Append("| key | type | default | meaning |\n|---|---|---|---|\n");
            foreach (var k in s.Keys)
                md.Append($"| `{k.Path}` | {k.Type} | `{k.Default}` | {Cell(k.Meaning)} |\n");
            if (s.Path == "sde") AppendSdeDefaults(md);
            if (s.Path == "network") AppendPresets(md);
        }
        return md.ToString();
    }

    /// <summary>The documentation file the compiler writes next to this assembly (Scorpio.Core.xml).</summary>
    public static string DefaultDocumentationFile()
    {
        var asm = typeof(ConfigurationReference).Assembly;
        string dir = string.IsNullOrEmpty(asm.Location) ? AppContext.BaseDirectory : Path.GetDirectoryName(asm.Location)!;
        return Path.Combine(dir, asm.GetName().Name + ".xml");
    }

    // Walks a config record: leaves become keys of its section, nested records become sections after it.
    private static void Collect(Type type, string prefix, JsonObject defaults, Dictionary<string, string> keyPaths, List<Section> sections)
    {
        var keys = new List<Key>();
        var children = new List<(PropertyInfo Prop, string Path)>();
        var nullability = new NullabilityInfoContext();
        foreach (var p in ConfigProperties(type))
        {
            string name = ConfigJson.Options.PropertyNamingPolicy!.ConvertName(p.Name);
            string path = prefix + name;
            keyPaths[XmlDocs.MemberId(p)] = path;
            if (ConfigJson.IsConfigRecord(p.PropertyType)) { children.Add((p, path)); continue; }
            string value = p.Name == nameof(RunConfig.ScorpioVersion) && p.DeclaringType == typeof(RunConfig)
                ? "(the writing version)"
                : Json(defaults[name]);
            keys.Add(new Key(path, JsonType(p.PropertyType, nullability.Create(p).WriteState == NullabilityState.Nullable), value, XmlDocs.MemberId(p)));
        }
        // The section's meaning is the record's summary.
        sections.Add(new Section(prefix.TrimEnd('.'), "T:" + type.FullName, keys));
        foreach (var (prop, path) in children)
            Collect(prop.PropertyType, path + ".", defaults[ConfigJson.Options.PropertyNamingPolicy!.ConvertName(prop.Name)]!.AsObject(), keyPaths, sections);
    }

    private static IEnumerable<PropertyInfo> ConfigProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .OrderBy(p => p.MetadataToken);

    private static string JsonType(Type t, bool nullableReference)
    {
        if (Nullable.GetUnderlyingType(t) is { } inner) return JsonType(inner, false) + " or null";
        string name = t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(bool) => "boolean",
            _ when t == typeof(int) || t == typeof(long) => "integer",
            _ when t == typeof(double) || t == typeof(float) => "number",
            _ when t.IsArray => JsonType(t.GetElementType()!, false) + "[]",
            _ => throw new NotSupportedException($"config key of type {t.Name}: teach ConfigurationReference.JsonType its JSON type"),
        };
        return nullableReference ? name + " or null" : name;
    }

    private static string Json(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a => "[" + string.Join(", ", a.Select(Json)) + "]",
        _ => node.ToJsonString(),
    };

    private static string Cell(string s) => s.Replace("|", "\\|");

    private static string Number(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    // Where an sde key is null (sigmaMin, sigmaMax) each SDE takes its own value: the SDE built from a default sde section.
    private static void AppendSdeDefaults(StringBuilder md)
    {
        md.Append("\nWhat each `sde.name` becomes with the defaults above: the time range [epsilon, T] that training and sampling ");
        md.Append("use, the noise level sigma(t) and signal scale mu(t) of the kernel x_t = mu(t) x_0 + sigma(t) z at its ends, and ");
        md.Append("the loss used when `training.loss` is null. Keys that do not apply to an SDE are ignored by it.\n\n");
        md.Append("| `sde.name` | epsilon | T | sigma(epsilon) | sigma(T) | mu(T) | `training.loss` when null |\n|---|---|---|---|---|---|---|\n");
        foreach (var name in SdeConfig.Names)
        {
            bool ve = name == "ve";
            // VE's sigma_max comes from the data; any value shows the rest.
            using var kind = Models.Parametrisation.For(new SdeConfig { Name = name, SigmaMax = ve ? 1.0 : null }, "fourier");
            var sde = kind.Sde;
            string sigmaT = ve ? "sigma_max, from the data (below)" : Number(sde.Sigma(sde.T));
            md.Append($"| `{name}` | {Number(sde.Epsilon)} | {Number(sde.T)} | {Number(sde.Sigma(sde.Epsilon))} | {sigmaT} | ");
            md.Append($"{Number(sde.Mu(sde.T))} | `{kind.DefaultLoss}` |\n");
        }
        md.Append("\nVE with `sde.sigmaMax` null: set when training starts to the largest Euclidean distance between two of up to ");
        md.Append("`training.sigmaMaxSubset` normalised training images (Song and Ermon 2020, technique 1) and written to the run's ");
        md.Append("`config.json`; `sde.sigmaMin` null is the sigma(epsilon) above. EDM: t is sigma, so epsilon and T are ");
        md.Append("sigma_min and sigma_max. The formulas: [docs/methods.md](methods.md), section 1.\n");
    }

    // The presets, as the keys on which they differ from the defaults above (at 32x32, one channel).
    private static void AppendPresets(StringBuilder md)
    {
        var defaults = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new NetworkConfig(), ConfigJson.Options))!.AsObject();
        md.Append("\n`--preset NAME` replaces the whole `network` section; each preset, at 32x32 pixels and one channel, differs from ");
        md.Append("the defaults above in:\n\n| preset | keys that differ |\n|---|---|\n");
        foreach (var (name, make) in NetworkPresets.Presets)
        {
            var preset = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(make(32, 1), ConfigJson.Options))!.AsObject();
            var diffs = preset.Where(kv => Json(kv.Value) != Json(defaults[kv.Key])).Select(kv => $"`{kv.Key}` = `{Json(kv.Value)}`");
            md.Append($"| `{name}` | {string.Join(", ", diffs.DefaultIfEmpty("none"))} |\n");
        }
    }

    /// <summary>The compiler's XML documentation, as Markdown summaries.</summary>
    private sealed class XmlDocs
    {
        private readonly Dictionary<string, XElement> _members;

        public XmlDocs(string path)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"the XML documentation file {path} is missing: build src/Scorpio with <GenerateDocumentationFile> (its .csproj sets it) so it lies next to the assembly", path);
            _members = XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .ToDictionary(m => m.Attribute("name")!.Value, m => m);
        }

        public static string MemberId(PropertyInfo p) => $"P:{p.DeclaringType!.FullName}.{p.Name}";

        // The summary of a member id ("" when undocumented), with crefs to config keys written as those keys.
        public string Summary(string id, IReadOnlyDictionary<string, string> keyPaths)
        {
            if (!_members.TryGetValue(id, out var member) || member.Element("summary") is not { } summary) return "";
            var text = new StringBuilder();
            foreach (var node in summary.Nodes()) Render(node, text, keyPaths);
            return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }

        private static void Render(XNode node, StringBuilder text, IReadOnlyDictionary<string, string> keyPaths)
        {
            switch (node)
            {
                case XText t: text.Append(t.Value); break;
                case XElement { Name.LocalName: "c" } c: text.Append('`').Append(c.Value).Append('`'); break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    string? cref = see.Attribute("cref")?.Value;
                    string? word = see.Attribute("langword")?.Value;
                    text.Append('`').Append(word ?? (cref is null ? see.Value : keyPaths.TryGetValue(cref, out var key) ? key : ShortName(cref))).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } p: text.Append('`').Append(p.Attribute("name")?.Value).Append('`'); break;
                case XElement e: foreach (var child in e.Nodes()) Render(child, text, keyPaths); text.Append(' '); break;
            }
        }

        // "M:Scorpio.Training.Trainer.Run(System.Int32)" -> "Trainer.Run"; "T:Scorpio.Sde" -> "Sde".
        private static string ShortName(string cref)
        {
            string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
            int paren = name.IndexOf('(');
            if (paren >= 0) name = name[..paren];
            var parts = name.Split('.');
            return cref.StartsWith("T:") || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
        }
    }
}
