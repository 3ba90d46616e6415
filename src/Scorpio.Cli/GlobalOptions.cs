using System.CommandLine;

namespace Scorpio.Cli;

/// <summary>Options every command accepts: compute device, CPU threads and the random seed.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Device = new("--device")
    {
        Description = "Compute device: auto (CUDA when available), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
        Recursive = true,
    };

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "CPU threads for libtorch (0 = number of cores).",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static readonly Option<long> Seed = new("--seed")
    {
        Description = "Seed for every random choice; recorded in outputs. Item k of a run (sample, image, galaxy, frame) draws from its own stream of (seed, k), so it does not depend on --batch or --n (docs/seeds.md).",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Device);
        root.Options.Add(Threads);
        root.Options.Add(Seed);
        root.Options.Add(OutputGuard.Overwrite);
    }
}
