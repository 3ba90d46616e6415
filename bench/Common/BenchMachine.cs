using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scorpio.Bench;

/// <summary>What every benchmark records about the machine it ran on, and how it writes its JSON.</summary>
internal static class BenchMachine
{
    public static double Median(IReadOnlyCollection<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>/proc/loadavg as written (1, 5, 15-minute averages, ...): other jobs on the machine inflate every timing.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); } catch (IOException) { return "unknown"; }
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage1() =>
        double.TryParse(LoadAverage().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name")) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown";
    }

    /// <summary>The repository root (the folder holding bench/Common), from the working or the binary's folder.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "bench", "Common", "BenchMachine.cs"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Writes the result (indented, units like µs kept readable) through a temporary file; returns the JSON text.</summary>
    public static string WriteJson(string path, JsonObject json)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var text = json.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, text + "\n");
        File.Move(tmp, full, overwrite: true);
        Console.Error.WriteLine($"wrote {full}");
        return text;
    }
}
