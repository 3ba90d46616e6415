using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Posterior;

namespace Scorpio.Catalogues;

/// <summary>
/// A command run over many objects, in shards that may run anywhere and in any order (a Slurm job array, a loop, one
/// process): shard i solves its block of objects (<see cref="Shard.Range"/>) one by one, writing object j's products into
/// OUT/objects/NNNNNN/ atomically (a temporary folder renamed when complete, with object.json), and skips objects already
/// there, so a run killed or pre-empted is finished by running the same command again. OUT/catalogue.json records the
/// command, catalogue, seed and settings; a shard started with other ones is refused. <see cref="CatalogueMerge"/>
/// assembles the objects into one output. Object j draws from <see cref="Catalogue.ObjectSeed"/>(seed, j), so sharded and
/// unsharded runs give identical results. An object whose input is unusable (a user error) is recorded as
/// OUT/objects/NNNNNN.error and skipped; the others go on, and a re-run retries it.
/// </summary>
public sealed record CatalogueJob
{
    /// <summary>The command (posterior, inpaint, transfer, sample), recorded in catalogue.json.</summary>
    public required string Command { get; init; }
    /// <summary>The run folder shared by every shard.</summary>
    public required string OutDir { get; init; }
    /// <summary>The inputs; null for <c>sample</c>, whose objects are blocks of <see cref="BlockSize"/> samples.</summary>
    public Catalogue? Catalogue { get; init; }
    /// <summary>Bad-pixel masks, one per object (non-zero = missing), or null.</summary>
    public Catalogue? Masks { get; init; }
    /// <summary>sample: total samples (objects are blocks of <see cref="BlockSize"/>).</summary>
    public long Samples { get; init; }
    /// <summary>sample: samples per block (the batch, so that blocks compute exactly as an unsharded run's batches).</summary>
    public int BlockSize { get; init; }
    public Shard Shard { get; init; } = Shard.All;
    public long Seed { get; init; }
    /// <summary>The command's settings (flags), recorded in catalogue.json and compared between shards.</summary>
    public JsonObject Settings { get; init; } = [];

    /// <summary>Number of objects (catalogue entries, or sample blocks).</summary>
    public int Count => Catalogue?.Count ?? (int)((Samples + BlockSize - 1) / Math.Max(1, BlockSize));

    /// <summary>Object <paramref name="index"/>'s folder name: six digits (more when needed), the merge's sort order.</summary>
    public static string ObjectName(int index) => index.ToString("D6", CultureInfo.InvariantCulture);

    public const string ManifestFile = "catalogue.json", ObjectsFolder = "objects", ObjectRecord = "object.json";

    /// <summary>Runs this shard: <paramref name="solve"/> writes one object's products into its <see cref="CatalogueObject.OutDir"/>.</summary>
    public CatalogueReport Run(Action<CatalogueObject> solve, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        if (Catalogue is null && (Samples < 1 || BlockSize < 1)) throw new ArgumentException("a job without a catalogue needs Samples and BlockSize");
        if (Masks is not null && Masks.Count != Catalogue?.Count)
            throw new InvalidSettingException("mask", $"{Masks.Source} holds {Masks.Count} masks but {Catalogue?.Source} holds {Catalogue?.Count} objects: give one mask per object");
        if (File.Exists(OutDir)) throw new InvalidSettingException("out", $"{OutDir} is a file; a catalogue run writes a folder");
        string objects = Path.Combine(OutDir, ObjectsFolder);
        Directory.CreateDirectory(objects);
        CheckManifest();

        var (first, end) = Shard.Range(Count);
        int solved = 0, done = 0;
        var failed = new List<(int, string)>();
        log?.Invoke($"shard {Shard}: objects {first}..{end - 1} of {Count} ({Catalogue?.Source ?? $"{Samples} samples in blocks of {BlockSize}"}) into {OutDir}");
        for (int j = first; j < end; j++)
        {
            string name = ObjectName(j), final = Path.Combine(objects, name), error = final + ".error";
            if (Directory.Exists(final)) { done++; continue; }
            foreach (var stale in Directory.EnumerateDirectories(objects, "." + name + ".partial-*")) Directory.Delete(stale, true);
            if (File.Exists(error)) File.Delete(error);
            string tmp = Path.Combine(objects, $".{name}.partial-{Guid.NewGuid():N}"[..(name.Length + 18)]);
            var objectClock = Stopwatch.StartNew();
            ObservationInput? observation = null;
            try
            {
                observation = Load(j, log);
                long firstSample = Catalogue is null ? (long)j * BlockSize : 0;
                int count = Catalogue is null ? (int)Math.Min(BlockSize, Samples - firstSample) : 0;
                var item = new CatalogueObject(j, Catalogue?.Name(j) ?? $"samples {firstSample}..{firstSample + count - 1}", observation,
                    Catalogue is null ? Seed : Catalogue.ObjectSeed(Seed, j), firstSample, count, tmp);
                solve(item);
                Directory.CreateDirectory(tmp);
                WriteRecord(Path.Combine(tmp, ObjectRecord), item);
                try { Directory.Move(tmp, final); solved++; }
                catch (IOException) when (Directory.Exists(final)) { Directory.Delete(tmp, true); done++; }  // another process finished it first
                log?.Invoke($"object {j} ({item.Name}) done in {objectClock.Elapsed.TotalSeconds:F1} s [{j - first + 1}/{end - first}]");
            }
            catch (Exception e) when (e is UserInputException or InvalidDataException)
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                AtomicFile.WriteAllText(error, e.Message + "\n");
                failed.Add((j, e.Message));
                log?.Invoke($"object {j} ({Catalogue?.Name(j)}) skipped: {e.Message}");
            }
            catch
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                throw;
            }
            finally { observation?.Dispose(); }
        }
        return new CatalogueReport(Shard, first, end, solved, done, failed, clock.Elapsed.TotalSeconds);
    }

    private ObservationInput? Load(int j, Action<string>? log)
    {
        if (Catalogue is null) return null;
        var (image, header) = Catalogue.Read(j);
        if (Masks is null) return ObservationInput.FromImage(image, header, Catalogue.Name(j), null, log);
        var (badPixels, _) = Masks.Read(j);
        using var mask = ObservationInput.ObservedMask(badPixels);
        return ObservationInput.FromImage(image, header, Catalogue.Name(j), mask, log);
    }

    /// <summary>The run's record: what every shard must agree on.</summary>
    public JsonObject Manifest() => new()
    {
        ["format"] = "scorpio-catalogue-run",
        ["command"] = Command,
        ["catalogue"] = Catalogue is null ? null : Path.GetFullPath(Catalogue.Source),
        ["catalogue_fingerprint"] = Catalogue?.Fingerprint,
        ["masks"] = Masks is null ? null : Path.GetFullPath(Masks.Source),
        ["objects"] = Count,
        ["samples"] = Catalogue is null ? Samples : null,
        ["block_size"] = Catalogue is null ? BlockSize : null,
        ["merge"] = Catalogue is null ? "concatenate" : "stack",
        ["seed"] = Seed,
        ["seed_rule"] = Catalogue is null
            ? "sample k draws from (seed, k), as an unsharded run"
            : "object j runs with seed Catalogue.ObjectSeed(seed, j) = SplitMix(seed, j, stream 100); its sample k draws from (that seed, k)",
        ["settings"] = Settings.DeepClone(),
        ["scorpio_version"] = Training.RunConfig.CurrentVersion,
    };

    // Every shard writes the same record, or finds it and checks it (two shards starting at once write identical files).
    private void CheckManifest()
    {
        string path = Path.Combine(OutDir, ManifestFile);
        var mine = Manifest();
        if (!File.Exists(path)) AtomicFile.WriteAllText(path, mine.ToJsonString(new() { WriteIndented = true }) + "\n");
        var theirs = SettingsText.ReadObject(path, "a catalogue run record", "choose another --out");
        foreach (var (key, value) in mine)
        {
            if (key == "scorpio_version") continue;
            if (JsonNode.DeepEquals(value, theirs[key])) continue;
            // The settings record is long: name only the entries that differ, so the one-line error stays readable.
            string what = value is JsonObject ours && theirs[key] is JsonObject recorded
                ? string.Join(", ", ours.Select(p => p.Key).Union(recorded.Select(p => p.Key))
                    .Where(k => !JsonNode.DeepEquals(ours[k], recorded[k]))
                    .Select(k => $"{key}.{k} = {recorded[k]?.ToJsonString() ?? "null"} there, {ours[k]?.ToJsonString() ?? "null"} here"))
                : $"{key} = {theirs[key]?.ToJsonString() ?? "null"} there, {value?.ToJsonString() ?? "null"} here";
            throw new UserInputException($"{OutDir} holds a {theirs["command"]} run with other settings ({what}): every shard of a run must use the same command, " +
                "catalogue, seed and settings. Choose another --out for a new run");
        }
    }

    private void WriteRecord(string path, CatalogueObject item)
    {
        var record = new JsonObject
        {
            ["index"] = item.Index,
            ["name"] = item.Name,
            ["seed"] = item.Seed,
            ["shard"] = Shard.ToString(),
        };
        if (Catalogue is null) { record["first_sample"] = item.First; record["samples"] = item.Count; }
        AtomicFile.WriteAllText(path, record.ToJsonString(new() { WriteIndented = true }) + "\n");
    }
}
