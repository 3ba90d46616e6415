using System.Diagnostics;
using Scorpio.Astro;

namespace Scorpio.Fuzz;

/// <summary>
/// Runs fuzz cases in this process: case k (of a campaign seeded by S) picks its kind and mutation from its own generator
/// seeded by (S, k), so any case can be replayed alone. Each case's outcome: read (the input was accepted), refused (a user
/// error whose one-line message names the file), or a failure: crash (any other exception, or exit code 70 through the
/// CLI), unnamed (a refusal that does not name the file), hang (no answer within the time limit) or memory (more than the
/// allocation limit for one case). Failing inputs are saved under the campaign folder.
/// </summary>
public sealed class FuzzCampaign(FuzzCorpus corpus, IReadOnlyList<FuzzTarget> targets, string workDir)
{
    /// <summary>One case may take this long before it counts as a hang.</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>One case may allocate this many managed bytes.</summary>
    public long MemoryLimit { get; init; } = 1L << 30;

    /// <summary>Called after each case (index, kind, outcome) for progress.</summary>
    public Action<long, string, string>? OnCase { get; init; }

    /// <summary>Called before each case (index, kind), so that a process killed by a case is known to have died in it.</summary>
    public Action<long, string>? OnStart { get; init; }

    /// <summary>The kind and generator of case <paramref name="k"/> of a campaign seeded by <paramref name="seed"/>.</summary>
    public (FuzzTarget Target, Random Rng) Case(long seed, long k)
    {
        var rng = new Random(unchecked((int)(seed * 1_000_003 + k * 7_919 + (k >> 31))));
        double total = targets.Sum(t => t.Weight), pick = rng.NextDouble() * total;
        foreach (var t in targets)
        {
            if (pick < t.Weight) return (t, rng);
            pick -= t.Weight;
        }
        return (targets[^1], rng);
    }

    /// <summary>
    /// Runs cases <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1 of the campaign seeded by
    /// <paramref name="seed"/>. A hang stops the run (a thread cannot be stopped safely): the report then has
    /// <see cref="FuzzReport.StoppedAt"/> set, and a caller in another process restarts after it.
    /// </summary>
    public FuzzReport Run(long seed, long from, long count)
    {
        var report = new FuzzReport { Seed = seed, From = from };
        foreach (var t in targets) report.Kinds[t.Kind] = new FuzzKindCounts();
        Directory.CreateDirectory(workDir);
        long current = from;
        long started = Environment.TickCount64;
        string currentKind = "";
        var worker = new Thread(() =>
        {
            for (long k = from; k < from + count; k++)
            {
                var (target, rng) = Case(seed, k);
                Volatile.Write(ref current, k);
                currentKind = target.Kind;
                Volatile.Write(ref started, Environment.TickCount64);
                OnStart?.Invoke(k, target.Kind);
                RunOne(report, target, rng, k);
            }
        }, 64 << 20) { IsBackground = true, Name = "fuzz" };
        var clock = Stopwatch.StartNew();
        worker.Start();
        while (!worker.Join(200))
        {
            if (Environment.TickCount64 - Volatile.Read(ref started) > HangLimit.TotalMilliseconds)
            {
                long k = Volatile.Read(ref current);
                lock (report)
                {
                    report.Kinds[currentKind].Hangs++;
                    report.Kinds[currentKind].Cases++;
                    report.AddFailure(new FuzzFailure(k, currentKind, "hang", $"no answer in {HangLimit.TotalSeconds:F0} s", Save(k, currentKind)));
                    report.StoppedAt = k;
                    report.Seconds = clock.Elapsed.TotalSeconds;
                }
                return report;
            }
        }
        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    private string CaseDir(string kind) => Path.Combine(workDir, kind);

    private void RunOne(FuzzReport report, FuzzTarget target, Random rng, long k)
    {
        string dir = CaseDir(target.Kind);
        Directory.CreateDirectory(dir);
        string file = target.Prepare(corpus, dir, rng);
        string outcome;
        FuzzFailure? failure = null;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var cli = target.Read(corpus, dir, file);
            if (cli is null || cli.ExitCode == 0) outcome = "read";
            else if (cli.ExitCode == 2) outcome = Refusal(cli.Stderr.TrimEnd(), file, target, out failure, k, oneLine: true);
            else
            {
                outcome = "crash";
                failure = new FuzzFailure(k, target.Kind, $"exit {cli.ExitCode}", MessageText.OneLine(cli.Stderr, 300), Save(k, target.Kind, file));
            }
        }
        catch (Exception e) when (Cli.CliRunner.IsUserError(Unwrap(e)))
        {
            outcome = Refusal(Unwrap(e).Message, file, target, out failure, k, oneLine: false);
        }
        catch (Exception e)
        {
            outcome = "crash";
            var inner = Unwrap(e);
            failure = new FuzzFailure(k, target.Kind, inner.GetType().Name, MessageText.OneLine(inner.Message, 300) + " @ " + MessageText.OneLine(inner.StackTrace?.Split('\n').FirstOrDefault(), 200), Save(k, target.Kind, file));
        }
        long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (used > MemoryLimit && failure is null)
        {
            outcome = "memory";
            failure = new FuzzFailure(k, target.Kind, "memory", $"allocated {used >> 20} MiB", Save(k, target.Kind, file));
        }
        lock (report)
        {
            var counts = report.Kinds[target.Kind];
            counts.Cases++;
            switch (outcome)
            {
                case "read": counts.Read++; break;
                case "refused": counts.Refused++; break;
                case "unnamed": counts.Refused++; counts.Unnamed++; break;
                case "memory": counts.OverMemory++; break;
                default: counts.Crashes++; break;
            }
            if (failure is not null) report.AddFailure(failure);
        }
        OnCase?.Invoke(k, target.Kind, outcome);
    }

    // A refusal must name the file (its name, or the problem file for a problem's inputs) and, through the CLI, be one line.
    private string Refusal(string message, string file, FuzzTarget target, out FuzzFailure? failure, long k, bool oneLine)
    {
        failure = null;
        if (Environment.GetEnvironmentVariable("SCORPIO_FUZZ_TRACE") is { } trace && target.Kind.StartsWith(trace)) Console.Error.WriteLine($"{k} {target.Kind}: {message}");
        string name = Path.GetFileName(file);
        bool named = message.Contains(name, StringComparison.Ordinal) || (target.Kind == "problem" && message.Contains("problem.json", StringComparison.Ordinal));
        bool single = !oneLine || !message.Contains('\n');
        if (named && single) return "refused";
        failure = new FuzzFailure(k, target.Kind, single ? "unnamed" : "multi-line", MessageText.OneLine(message, 300), Save(k, target.Kind, file));
        return "unnamed";
    }

    private string? Save(long k, string kind, string? file = null)
    {
        try
        {
            var dir = Path.Combine(workDir, "failures");
            Directory.CreateDirectory(dir);
            file ??= Directory.EnumerateFiles(CaseDir(kind), "case.*").Concat(Directory.EnumerateFiles(CaseDir(kind), "*.json")).FirstOrDefault();
            if (file is null || !File.Exists(file)) return null;
            var to = Path.Combine(dir, $"{kind}-{k}-{Path.GetFileName(file)}");
            File.Copy(file, to, overwrite: true);
            return to;
        }
        catch (IOException) { return null; }
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException or TypeInitializationException && e.InnerException is not null ? Unwrap(e.InnerException) : e;
}
