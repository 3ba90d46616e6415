using System.Globalization;
using Scorpio.Astro;

namespace Scorpio.Distributed;

/// <summary>
/// Where this process sits in a multi-process job, read from the environment as torch.distributed's env:// launch
/// does: RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT (set by torchrun, by
/// <c>scorpio train --nproc</c>, or by a batch script). Inside a Slurm job step (<c>srun</c>) without RANK, the rank and
/// size come from SLURM_PROCID, SLURM_STEP_NUM_TASKS and SLURM_LOCALID; MASTER_ADDR and MASTER_PORT must still be set
/// (docs/scale-out.md shows how).
/// </summary>
public sealed record LaunchEnvironment(int Rank, int WorldSize, int LocalRank, int LocalWorldSize, string MasterAddress, int MasterPort)
{
    /// <summary>The job this process belongs to, or null when it runs alone (no WORLD_SIZE, or WORLD_SIZE=1).</summary>
    /// <param name="get">reads a variable (tests pass a dictionary); default: the process environment.</param>
    public static LaunchEnvironment? FromEnvironment(Func<string, string?>? get = null)
    {
        get ??= Environment.GetEnvironmentVariable;
        string? worldText = get("WORLD_SIZE"), rankText = get("RANK"), localText = get("LOCAL_RANK"), localSizeText = get("LOCAL_WORLD_SIZE");
        string source = "WORLD_SIZE";
        if (worldText is null && get("SLURM_STEP_ID") is not null && get("SLURM_STEP_NUM_TASKS") is { } tasks)
        {
            (worldText, rankText, localText, source) = (tasks, get("SLURM_PROCID"), get("SLURM_LOCALID"), "SLURM_STEP_NUM_TASKS");
            localSizeText = get("SLURM_STEP_TASKS_PER_NODE") is { } perNode ? perNode.Split('(', ',')[0] : null;
        }
        if (worldText is null) return null;
        int world = Int(worldText, source, 1);
        if (world == 1) return null;
        int rank = Int(rankText ?? throw Missing("RANK", world), "RANK", 0);
        if (rank >= world) throw new UserInputException($"RANK={rank} is outside 0..{world - 1} (WORLD_SIZE={world})");
        int local = localText is null ? 0 : Int(localText, "LOCAL_RANK", 0);
        int localSize = localSizeText is null ? 1 : Int(localSizeText, "LOCAL_WORLD_SIZE", 1);
        string addr = get("MASTER_ADDR") ?? throw Missing("MASTER_ADDR", world);
        int port = Int(get("MASTER_PORT") ?? throw Missing("MASTER_PORT", world), "MASTER_PORT", 1);
        if (port > 65535) throw new UserInputException($"MASTER_PORT={port} is not a TCP port (1-65535)");
        return new LaunchEnvironment(rank, world, local, localSize, addr, port);
    }

    /// <summary>True when MASTER_ADDR is this machine's loopback (a single-machine job): Gloo then binds to 127.0.0.1.</summary>
    public bool IsLoopback => MasterAddress is "127.0.0.1" or "localhost" or "::1";

    /// <summary>An environment variable's integer value, at least <paramref name="min"/>, or an error naming the variable.</summary>
    internal static int Int(string text, string name, int min) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min ? v
            : throw new UserInputException($"{name}={text} is not an integer >= {min}");

    private static UserInputException Missing(string name, int world) =>
        new($"WORLD_SIZE={world} asks for a multi-process job but {name} is not set: launch with torchrun, srun (see docs/scale-out.md) " +
            "or 'scorpio train --nproc N', which set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT");
}
