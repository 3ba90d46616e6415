using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;

namespace Scorpio.Catalogues;

/// <summary>
/// <c>scorpio merge</c>: assembles the objects of a catalogue run (<see cref="CatalogueJob"/>) into one output after
/// checking that every object 0 .. N-1 is there exactly once, complete, and from this run. Each FITS product of the
/// objects (mean.fits, std.fits, ...) becomes one file with the objects stacked along a new first axis, (N, ...) in
/// object order; for <c>scorpio sample</c> blocks, samples.fits is the blocks concatenated, (N samples, ...). Per-object
/// posterior samples (objects/NNNNNN/samples.fits) are stacked only when asked (they are the bulk of a run). objects.csv
/// holds one row per object: index, name, seed and the numbers of its summary.json.
/// </summary>
public static class CatalogueMerge
{
    private const string Damaged = "it was not written by scorpio or is damaged: delete that object's folder and run its shard again (finished objects are skipped)";

    /// <summary>Checks and merges the run in <paramref name="runDir"/> into <paramref name="outDir"/> (default RUN/merged); returns the files written.</summary>
    public static IReadOnlyList<string> Merge(string runDir, string? outDir = null, bool includeSamples = false, Action<string>? log = null)
    {
        string manifestPath = Path.Combine(runDir, CatalogueJob.ManifestFile);
        if (!File.Exists(manifestPath)) throw new UserInputException($"{runDir} is not a catalogue run (no {CatalogueJob.ManifestFile}); give the --out folder of a sharded posterior, inpaint, transfer or sample run");
        var manifest = SettingsText.ReadObject(manifestPath, "a catalogue run record", Damaged);
        int n = SettingsText.Int(manifest, "objects", manifestPath, Damaged);
        bool concatenate = manifest["merge"]?.GetValue<string>() == "concatenate";
        string objectsDir = Path.Combine(runDir, CatalogueJob.ObjectsFolder);
        var folders = Check(runDir, objectsDir, n, manifest);

        outDir ??= Path.Combine(runDir, "merged");
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        var products = Directory.GetFiles(folders[0], "*.fits").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        foreach (var product in products)
        {
            if (product == "samples.fits" && !concatenate && !includeSamples) continue;
            var items = new List<ImageData>(n);
            FitsHeader? header = null;
            for (int j = 0; j < n; j++)
            {
                string path = Path.Combine(folders[j], product!);
                if (!File.Exists(path)) throw new UserInputException($"{folders[j]} has no {product} (object 0 has): the objects come from different settings; rerun them");
                var (image, h) = FitsFile.ReadWithHeader(path);
                header ??= WithoutWcs(h);
                if (items.Count > 0 && !concatenate && !image.Shape.SequenceEqual(items[0].Shape))
                    throw new UserInputException($"{path} is {string.Join("x", image.Shape)} but object 0's is {string.Join("x", items[0].Shape)}: stamps of one catalogue must share a shape to be stacked");
                items.Add(image);
            }
            var merged = concatenate ? Concatenate(items, product!) : ImageData.Stack(items);
            header!.Set("NOBJECTS", n, concatenate ? "blocks concatenated along axis 1 (FITS NAXISn last)" : "objects stacked along the last FITS axis");
            header.Set("SCORPCAT", Path.GetFullPath(runDir), "catalogue run merged (scorpio merge)");
            FitsFile.Write(Path.Combine(outDir, product!), merged, header);
            written.Add(product!);
            log?.Invoke($"{product}: {string.Join("x", merged.Shape)}");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "objects.csv"), ObjectTable(folders));
        written.Add("objects.csv");
        var summary = manifest.DeepClone().AsObject();
        summary["merged_from"] = Path.GetFullPath(runDir);
        summary["files"] = new JsonArray(written.Select(f => (JsonNode)f).ToArray());
        AtomicFile.WriteAllText(Path.Combine(outDir, "summary.json"), summary.ToJsonString(new() { WriteIndented = true }) + "\n");
        written.Add("summary.json");
        return written;
    }

    // Every object 0..n-1 once, complete (object.json naming itself), no errors left; returns the folders in object order.
    private static string[] Check(string runDir, string objectsDir, int n, JsonObject manifest)
    {
        if (!Directory.Exists(objectsDir)) throw new UserInputException($"{runDir} has no objects/ folder: no shard has run yet");
        var byIndex = new Dictionary<int, List<string>>();
        var problems = new List<string>();
        int partial = 0;
        foreach (var dir in Directory.GetDirectories(objectsDir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith('.')) { partial++; continue; }   // a shard's object in progress or killed mid-way: not a result
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int j) || j >= n)
            {
                problems.Add($"objects/{name} is not an object of this run (0..{n - 1})");
                continue;
            }
            string record = Path.Combine(dir, CatalogueJob.ObjectRecord);
            if (!File.Exists(record)) { problems.Add($"objects/{name} has no {CatalogueJob.ObjectRecord}: written by something else"); continue; }
            int recorded = SettingsText.Int(SettingsText.ReadObject(record, "an object record", Damaged), "index", record, Damaged);
            if (recorded != j) problems.Add($"objects/{name} holds object {recorded}");
            (byIndex.TryGetValue(recorded, out var list) ? list : byIndex[recorded] = []).Add(name);
        }
        foreach (var (j, names) in byIndex.Where(kv => kv.Value.Count > 1))
            problems.Add($"object {j} is duplicated: {string.Join(", ", names.Select(x => "objects/" + x))}");
        var errors = Directory.GetFiles(objectsDir, "*.error").Order(StringComparer.Ordinal).ToList();
        foreach (var e in errors.Take(10))
            problems.Add($"object {Path.GetFileNameWithoutExtension(e)} failed: {File.ReadAllText(e).Trim()}");
        var missing = Enumerable.Range(0, n).Where(j => !byIndex.ContainsKey(j)).ToList();
        if (missing.Count > 0)
            problems.Add($"{missing.Count} of {n} objects are missing ({string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")})" +
                (partial > 0 ? $"; {partial} were being written when their shard stopped" : "") +
                $": run the {manifest["command"]} shards again with the same command line (finished objects are skipped)");
        if (problems.Count > 0) throw new UserInputException($"{runDir} cannot be merged: " + string.Join("; ", problems));
        return Enumerable.Range(0, n).Select(j => Path.Combine(objectsDir, byIndex[j][0])).ToArray();
    }

    // Object 0's WCS does not describe the others (each object keeps its own in objects/NNNNNN/).
    private static FitsHeader WithoutWcs(FitsHeader h)
    {
        string[] prefixes = ["CRPIX", "CRVAL", "CTYPE", "CDELT", "CUNIT", "CROTA", "CD1_", "CD2_", "CD3_", "PC1_", "PC2_", "PC3_", "WCSAXES", "LONPOLE", "LATPOLE", "RADESYS", "EQUINOX"];
        var kept = new FitsHeader(h.Cards.Where(c => !prefixes.Any(p => c.Key.StartsWith(p, StringComparison.Ordinal))));
        kept.AddComment("Objects stacked by scorpio merge; each object's own header and WCS are in objects/NNNNNN/ of the run.");
        return kept;
    }

    private static ImageData Concatenate(IReadOnlyList<ImageData> blocks, string product)
    {
        var rest = blocks[0].Shape[1..];
        foreach (var b in blocks)
            if (!b.Shape[1..].SequenceEqual(rest)) throw new UserInputException($"{product}: blocks of different shapes ({string.Join("x", b.Shape)} vs {string.Join("x", blocks[0].Shape)})");
        var data = blocks.SelectMany(b => b.Data).ToArray();
        return new ImageData(data, [blocks.Sum(b => b.Shape[0]), .. rest]);
    }

    // index, name, seed, then every top-level number of object 0's summary.json (chi2, variance ratio, ...).
    private static string ObjectTable(string[] folders)
    {
        JsonObject? Summary(string dir) => File.Exists(Path.Combine(dir, "summary.json")) ? SettingsText.ReadObject(Path.Combine(dir, "summary.json"), "a summary", Damaged) : null;
        var keys = Summary(folders[0])?.Where(kv => kv.Value is JsonValue v && v.TryGetValue<double>(out _) && kv.Key != "seed").Select(kv => kv.Key).ToList() ?? [];
        var sb = new StringBuilder("index,name,seed" + string.Concat(keys.Select(k => "," + k)) + "\n");
        foreach (var dir in folders)
        {
            var record = SettingsText.ReadObject(Path.Combine(dir, CatalogueJob.ObjectRecord), "an object record", Damaged);
            var summary = Summary(dir);
            string name = record["name"]?.ToString() ?? "";
            sb.Append(CultureInfo.InvariantCulture, $"{record["index"]},\"{name.Replace("\"", "\"\"")}\",{record["seed"]}");
            foreach (var k in keys) sb.Append(',').Append(summary?[k] is JsonValue v && v.TryGetValue<double>(out double x) ? x.ToString("R", CultureInfo.InvariantCulture) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
