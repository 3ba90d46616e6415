using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Astro.DataTools;

namespace Scorpio.Eval;

/// <summary>
/// The JSON written for one experiment run: the experiment's numbers under "results", wrapped in
/// what makes them reproducible (command, seed, mode, version, commit, machine, wall time).
/// </summary>
public static class ResultFile
{
    public static JsonObject Envelope(IExperiment e, ExperimentContext ctx, JsonObject results, TimeSpan wall) => new()
    {
        ["experiment"] = e.Name,
        ["title"] = e.Title,
        ["command"] = $"eval/run {e.Name}" + (ctx.Smoke ? " --smoke" : "") + (ctx.Device != "auto" ? $" --device {ctx.Device}" : ""),
        ["smoke"] = ctx.Smoke,
        ["seed"] = ctx.Seed,
        ["scorpioVersion"] = typeof(ResultFile).Assembly.GetName().Version?.ToString(3),
        ["gitCommit"] = GitCommit(ctx.RepoRoot),
        ["machine"] = new JsonObject
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["cores"] = Environment.ProcessorCount,
            ["device"] = ctx.Device,
        },
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        ["wallSeconds"] = Math.Round(wall.TotalSeconds, 1),
        ["results"] = results,
    };

    public static string PathFor(string outDir, string name) => Path.Combine(outDir, name + ".json");

    public static void Write(string path, JsonObject envelope) =>
        AtomicFile.WriteAllText(path, envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    public static JsonObject Read(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException(path + ": not a JSON object");

    private static string GitCommit(string repo)
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse --short HEAD") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var s = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? s : "unknown";
        }
        catch { return "unknown"; }
    }
}
