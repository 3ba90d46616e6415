using System.Collections;
using System.CommandLine;
using System.Text.Json.Nodes;
using Scorpio.Catalogues;

namespace Scorpio.Cli;

/// <summary>
/// The flags of survey-scale runs shared by posterior, inpaint, transfer and sample: --catalogue (many inputs) and
/// --shard i/n (default: the Slurm job array task), and how a shard's outcome is reported. The work is Scorpio.Catalogues'.
/// </summary>
internal static class CatalogueOptions
{
    public static Option<string?> Catalogue(string replaces) => new("--catalogue")
    {
        Description = $"Many inputs instead of {replaces}: a FITS cube of stamps (N, H, W) or (N, C, H, W), or a text file listing FITS paths (one per line). " +
            "--out is then a run folder (objects/NNNNNN/ per object); object j draws from seed (--seed, j); see --shard and 'scorpio merge' (docs/scale-out.md).",
    };

    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Catalogue runs: process shard i of n (i/n, from 0; default SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT in a Slurm job array, else everything). " +
            "Objects already written are skipped, so running a shard again finishes it after a crash or pre-emption.",
    };

    /// <summary>--shard, else the Slurm array task, else the whole catalogue.</summary>
    public static Shard ResolveShard(ParseResult pr, Option<string?> shard) =>
        pr.GetValue(shard) is { } text ? Catalogues.Shard.Parse(text) : Catalogues.Shard.FromSlurm() ?? Catalogues.Shard.All;

    /// <summary>
    /// The command's effective settings (every option's value, defaults included, and the device), recorded in the run's
    /// catalogue.json so that every shard is checked to run the same thing; --shard, --out and --threads are left out.
    /// </summary>
    public static JsonObject Settings(ParseResult pr)
    {
        var settings = new JsonObject { ["device"] = pr.GetValue(GlobalOptions.Device) };
        foreach (var option in pr.CommandResult.Command.Options.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            if (option.Name is "--shard" or "--out" or "--help" or "-h" || option.Name.StartsWith("-?", StringComparison.Ordinal)) continue;
            object? value = pr.GetResult(option)?.GetValueOrDefault<object?>();
            settings[option.Name.TrimStart('-')] = value switch
            {
                null => null,
                string s => s,
                IEnumerable e => string.Join(" ", e.Cast<object>()),
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        return settings;
    }

    /// <summary>Prints what the shard did; exit code 0, or 3 when some objects failed (each has its .error file).</summary>
    public static int Report(CatalogueReport r, string outDir)
    {
        Console.WriteLine($"shard {r.Shard}: {r.Objects} objects ({r.First}..{r.End - 1}): {r.Solved} solved, {r.AlreadyDone} already done, {r.Failed.Count} failed, in {r.Seconds:F1} s; " +
            $"results in {Path.Combine(outDir, CatalogueJob.ObjectsFolder)} (assemble with: scorpio merge {outDir})");
        if (r.Failed.Count == 0) return 0;
        Console.Error.WriteLine($"error: {r.Failed.Count} objects failed (first: object {r.Failed[0].Index}: {r.Failed[0].Reason}); fix their inputs and run the shard again");
        return 3;
    }

    /// <summary>Refuses a single input and a catalogue together, or neither.</summary>
    public static void OneInput(string? single, string singleFlag, string? catalogue)
    {
        if (single is not null && catalogue is not null) throw new Astro.UserInputException($"give {singleFlag} (one input) or --catalogue (many), not both");
        if (single is null && catalogue is null) throw new Astro.UserInputException($"give the input with {singleFlag} FILE, or many with --catalogue FILE");
    }
}
