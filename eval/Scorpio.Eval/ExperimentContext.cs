using System.Diagnostics;

namespace Scorpio.Eval;

/// <summary>What an experiment run gets: mode, seed, where to write, where the real data and caches are.</summary>
public sealed class ExperimentContext
{
    /// <summary>Reduced mode for CI: minutes, tiny networks; the numbers only prove the script works.</summary>
    public required bool Smoke { get; init; }
    public required long Seed { get; init; }
    /// <summary>Torch device for networks ("cpu", "cuda").</summary>
    public required string Device { get; init; }
    /// <summary>CPU threads for libtorch (0 = all cores); passed to every scorpio command.</summary>
    public int Threads { get; init; }
    /// <summary>Repository root.</summary>
    public required string RepoRoot { get; init; }
    /// <summary>Folder of the result JSON (docs/results for full runs).</summary>
    public required string OutDir { get; init; }
    /// <summary>Folder for this experiment's figures (PNG/SVG), under OutDir.</summary>
    public required string FigureDir { get; init; }
    /// <summary>Scratch folder for this experiment's intermediate files (simulated data, trained runs).</summary>
    public required string WorkDir { get; init; }
    public required TextWriter Log { get; init; }

    /// <summary>../shared/data beside the repository.</summary>
    public string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>A real data file; a clear error when ../shared/data is missing.</summary>
    public string Data(string relative)
    {
        var p = Path.Combine(SharedData, relative);
        if (!File.Exists(p))
            throw new Scorpio.Astro.UserInputException($"real data file not found: {p}. The evaluation reads ../shared/data beside the repository (see its README).");
        return p;
    }

    /// <summary>Picks the smoke or the full value of a setting.</summary>
    public T Pick<T>(T smoke, T full) => Smoke ? smoke : full;

    /// <summary>Runs one `scorpio` command in-process (the same code path as the CLI), logging it; throws on failure.</summary>
    public void Scorpio(params string[] args)
    {
        var full = args.ToList();
        if (!full.Contains("--device")) full.AddRange(new[] { "--device", Device });
        if (!full.Contains("--threads")) full.AddRange(new[] { "--threads", Threads.ToString() });
        Log.WriteLine("  $ scorpio " + string.Join(' ', full.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)));
        var sw = Stopwatch.StartNew();
        int rc = Cli.ScorpioCli.Run(full.ToArray());
        if (rc != 0) throw new InvalidOperationException($"`scorpio {string.Join(' ', full)}` failed with exit code {rc}");
        Log.WriteLine($"    ({sw.Elapsed.TotalSeconds:F1} s)");
    }

    /// <summary>Writes a progress line with the elapsed time.</summary>
    public void Step(string what) => Log.WriteLine($"[{Name}] {what}");

    internal string Name { get; init; } = "";
}
