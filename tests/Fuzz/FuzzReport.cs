using System.Text.Json.Serialization;

namespace Scorpio.Fuzz;

/// <summary>Counts of one input kind.</summary>
public sealed class FuzzKindCounts
{
    [JsonPropertyName("cases")] public long Cases { get; set; }
    [JsonPropertyName("read")] public long Read { get; set; }
    [JsonPropertyName("refused")] public long Refused { get; set; }
    [JsonPropertyName("crashes")] public long Crashes { get; set; }
    [JsonPropertyName("hangs")] public long Hangs { get; set; }
    [JsonPropertyName("unnamed")] public long Unnamed { get; set; }
    [JsonPropertyName("over_memory")] public long OverMemory { get; set; }

    public void Add(FuzzKindCounts o)
    {
        Cases += o.Cases; Read += o.Read; Refused += o.Refused; Crashes += o.Crashes; Hangs += o.Hangs; Unnamed += o.Unnamed; OverMemory += o.OverMemory;
    }
}

/// <summary>A failing case: what went wrong and where its input was saved.</summary>
public sealed record FuzzFailure(
    [property: JsonPropertyName("case")] long Case,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("what")] string What,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("input")] string? Input);

/// <summary>What a fuzz campaign (or one part of it) found.</summary>
public sealed class FuzzReport
{
    /// <summary>At most this many failures are kept with their messages.</summary>
    public const int MaxFailures = 50;

    [JsonPropertyName("seed")] public long Seed { get; set; }
    [JsonPropertyName("from")] public long From { get; set; }
    [JsonPropertyName("kinds")] public SortedDictionary<string, FuzzKindCounts> Kinds { get; set; } = new();
    [JsonPropertyName("failures")] public List<FuzzFailure> Failures { get; set; } = [];
    [JsonPropertyName("seconds")] public double Seconds { get; set; }
    /// <summary>The case a hang stopped the run at, or null when every case ran.</summary>
    [JsonPropertyName("stopped_at")] public long? StoppedAt { get; set; }

    [JsonPropertyName("cases")] public long Cases => Kinds.Values.Sum(k => k.Cases);
    [JsonPropertyName("crashes")] public long Crashes => Kinds.Values.Sum(k => k.Crashes);
    [JsonPropertyName("hangs")] public long Hangs => Kinds.Values.Sum(k => k.Hangs);
    [JsonPropertyName("unnamed_refusals")] public long Unnamed => Kinds.Values.Sum(k => k.Unnamed);
    [JsonPropertyName("over_memory")] public long OverMemory => Kinds.Values.Sum(k => k.OverMemory);

    public void AddFailure(FuzzFailure f)
    {
        if (Failures.Count < MaxFailures) Failures.Add(f);
    }

    /// <summary>Adds another part's counts and failures.</summary>
    public void Merge(FuzzReport part)
    {
        foreach (var (kind, counts) in part.Kinds)
        {
            if (!Kinds.TryGetValue(kind, out var mine)) Kinds[kind] = mine = new FuzzKindCounts();
            mine.Add(counts);
        }
        foreach (var f in part.Failures) AddFailure(f);
        Seconds += part.Seconds;
    }

    /// <summary>One line per kind, then the failures, for logs and assertion messages.</summary>
    public string Summary() =>
        $"{Cases} cases, {Crashes} crashes, {Hangs} hangs, {Unnamed} unnamed, {OverMemory} over memory, {Seconds:F1} s\n" +
        string.Join("\n", Kinds.Select(kv => $"  {kv.Key}: {kv.Value.Cases} cases, {kv.Value.Read} read, {kv.Value.Refused} refused, {kv.Value.Crashes} crashes, {kv.Value.Hangs} hangs, {kv.Value.Unnamed} unnamed")) +
        string.Concat(Failures.Take(20).Select(f => $"\n  FAIL case {f.Case} {f.Kind} {f.What}: {f.Message} ({f.Input})"));
}
