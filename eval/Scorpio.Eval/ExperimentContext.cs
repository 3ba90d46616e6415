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
    /// <summary>CPU threads for libtorch (0 = all cores); set once before the experiments run.</summary>
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

    /// <summary>The torch device of <see cref="Device"/> (parsed once).</summary>
    public Torch.Device TorchDevice => _torchDevice ??= Torch.Device.Parse(Device);
    private Torch.Device? _torchDevice;

    /// <summary>Runs one library call, logging what it does and then its wall time.</summary>
    public T Timed<T>(string what, Func<T> call)
    {
        Log.WriteLine("  " + what);
        var sw = Stopwatch.StartNew();
        var result = call();
        Log.WriteLine($"    ({sw.Elapsed.TotalSeconds:F1} s)");
        return result;
    }

    /// <summary>Writes a progress line with the elapsed time.</summary>
    public void Step(string what) => Log.WriteLine($"[{Name}] {what}");

    internal string Name { get; init; } = "";
}
