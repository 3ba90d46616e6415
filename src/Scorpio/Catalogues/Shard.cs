using System.Globalization;
using Scorpio.Astro;

namespace Scorpio.Catalogues;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a catalogue run: the contiguous block of objects
/// [floor(i N / n), floor((i + 1) N / n)). Blocks tile the catalogue whatever N, and differ in size by at most one.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Everything in one process.</summary>
    public static readonly Shard All = new(0, 1);

    /// <summary>Parses "i/n" (0 &lt;= i &lt; n).</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new InvalidSettingException("shard", $"'{text}' is not i/n with 0 <= i < n (e.g. 3/16: the fourth of 16 shards)");
    }

    /// <summary>
    /// The shard a Slurm job array task stands for: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT
    /// (so --array=1-16 and --array=0-15 both work), or null outside an array job.
    /// </summary>
    public static Shard? FromSlurm(Func<string, string?>? get = null)
    {
        get ??= Environment.GetEnvironmentVariable;
        if (get("SLURM_ARRAY_TASK_ID") is not { } id || get("SLURM_ARRAY_TASK_COUNT") is not { } count) return null;
        int min = get("SLURM_ARRAY_TASK_MIN") is { } m ? Distributed.LaunchEnvironment.Int(m, "SLURM_ARRAY_TASK_MIN", 0) : 0;
        int i = Distributed.LaunchEnvironment.Int(id, "SLURM_ARRAY_TASK_ID", 0) - min, n = Distributed.LaunchEnvironment.Int(count, "SLURM_ARRAY_TASK_COUNT", 1);
        if (n < 1 || i < 0 || i >= n)
            throw new UserInputException($"SLURM_ARRAY_TASK_ID={id} (min {min}) of SLURM_ARRAY_TASK_COUNT={count} is not a shard: use a contiguous --array range, or give --shard i/n");
        return new Shard(i, n);
    }

    /// <summary>The objects [first, end) of this shard of <paramref name="total"/>.</summary>
    public (int First, int End) Range(int total) => ((int)((long)total * Index / Count), (int)((long)total * (Index + 1) / Count));

    public override string ToString() => $"{Index}/{Count}";
}
