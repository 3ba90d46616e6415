using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>docs/configuration.md is generated from the code (<see cref="ConfigurationReference"/>) and committed in sync.</summary>
public class ConfigurationReferenceTests
{
    private static string DocPath => Path.Combine(TestPaths.RepoRoot, "docs", "configuration.md");

    private static string Regenerate =>
        $"regenerate it with `{ConfigurationReference.RegenerateCommand}` (after `make build`), or run this test with SCORPIO_UPDATE_DOCS=1";

    [Fact]
    public void TheCommittedReferenceIsInSync()
    {
        string generated = ConfigurationReference.Markdown();
        if (Environment.GetEnvironmentVariable("SCORPIO_UPDATE_DOCS") == "1") File.WriteAllText(DocPath, generated);
        Assert.True(File.Exists(DocPath), $"{DocPath} is missing: {Regenerate}");
        string committed = File.ReadAllText(DocPath).ReplaceLineEndings("\n");
        if (committed != generated)
        {
            var a = committed.Split('\n');
            var b = generated.Split('\n');
            int line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
            Assert.Fail($"docs/configuration.md is out of date (first difference at line {line + 1}:\n  committed: {a.ElementAtOrDefault(line)}\n  generated: {b.ElementAtOrDefault(line)}\n): {Regenerate}");
        }
    }

    [Fact]
    public void EveryKeyIsListedWithItsDefaultAndADescription()
    {
        var sections = ConfigurationReference.Sections();
        var keys = sections.SelectMany(s => s.Keys).ToList();
        // Every leaf of a serialised default configuration, and nothing else.
        var leaves = new List<string>();
        void Walk(JsonObject o, string prefix)
        {
            foreach (var (k, v) in o)
                if (v is JsonObject child) Walk(child, prefix + k + ".");
                else leaves.Add(prefix + k);
        }
        Walk(JsonNode.Parse(ConfigJson.Serialize(new RunConfig()))!.AsObject(), "");
        Assert.Equal(leaves.Order(), keys.Select(k => k.Path).Order());
        Assert.All(keys, k => Assert.False(string.IsNullOrWhiteSpace(k.Meaning), $"{k.Path} has no doc comment"));
        Assert.All(sections, s => Assert.False(string.IsNullOrWhiteSpace(s.Meaning), $"section '{s.Path}' has no doc comment"));
        Assert.Equal(["", "sde", "network", "normalization", "data", "training", "training.augment"], sections.Select(s => s.Path));

        var byPath = keys.ToDictionary(k => k.Path);
        Assert.Equal("\"ve\"", byPath["sde.name"].Default);
        Assert.Equal("number or null", byPath["sde.sigmaMin"].Type);
        Assert.Equal("null", byPath["sde.sigmaMin"].Default);
        Assert.Equal("string or null", byPath["training.loss"].Type);
        Assert.Equal("integer[]", byPath["network.channelMult"].Type);
        Assert.Equal("[1, 2, 2]", byPath["network.channelMult"].Default);
        // A cref to another key reads as that key.
        Assert.Contains("`normalization.clipMax`", byPath["normalization.clipPercentile"].Meaning);
    }

    [Fact]
    public void TheNullSdeKeysAreExplainedPerSde()
    {
        string md = ConfigurationReference.Markdown();
        // EDM: sigma in [0.002, 80]; VE: sigma_min 0.01 and sigma_max from the data (METHODS.md section 1).
        Assert.Contains("| `edm` | 0.002 | 80 | 0.002 | 80 |", md);
        Assert.Contains("| `ve` | 0 | 1 | 0.01 | sigma_max, from the data", md);
        Assert.Contains("| `cpu` |", md);
    }

    /// <summary>The README's table of main keys agrees with the reference (keys exist, defaults equal).</summary>
    [Fact]
    public void TheReadmeTableAgreesWithTheReference()
    {
        var byPath = ConfigurationReference.Sections().SelectMany(s => s.Keys).ToDictionary(k => k.Path);
        var sections = ConfigurationReference.Sections().Select(s => s.Path).ToHashSet();
        var readme = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "README.md"));
        int start = Array.FindIndex(readme, l => l.StartsWith("| key | default | meaning |"));
        Assert.True(start >= 0, "README.md has no configuration table ('| key | default | meaning |')");
        int checkedKeys = 0;
        foreach (var row in readme.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = row.Split('|').Select(c => c.Trim()).ToArray();
            var names = Regex.Matches(cells[1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();
            Assert.NotEmpty(names);
            string parent = names[0].Contains('.') ? names[0][..(names[0].LastIndexOf('.') + 1)] : "";
            var paths = names.Select((n, i) => i == 0 ? n : parent + n).ToArray();
            if (paths.Length == 1 && sections.Contains(paths[0])) continue;     // a whole section, described in words
            var defaults = cells[2].Split(", ");
            Assert.True(defaults.Length == paths.Length, $"README row '{row}': {paths.Length} key(s) but {defaults.Length} default(s)");
            for (int i = 0; i < paths.Length; i++)
            {
                Assert.True(byPath.TryGetValue(paths[i], out var key), $"README names '{paths[i]}', which is not a config key");
                string given = defaults[i].Trim().Trim('`');
                string actual = key!.Default.Trim('"');
                bool same = double.TryParse(given, CultureInfo.InvariantCulture, out var g) && double.TryParse(actual, CultureInfo.InvariantCulture, out var a)
                    ? g == a : given == actual;
                Assert.True(same, $"README says {paths[i]} defaults to {given}; the code says {actual} (docs/configuration.md)");
                checkedKeys++;
            }
        }
        Assert.True(checkedKeys >= 5, $"only {checkedKeys} README keys checked");
    }
}
