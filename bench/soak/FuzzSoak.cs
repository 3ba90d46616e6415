using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Fuzz;

namespace Scorpio.Bench.Soak;

/// <summary>
/// Fuzzing at scale: the cases of <see cref="FuzzCampaign"/> (10^5 by default) run in child processes of a few thousand cases
/// each, so that a native fault (a crash in cfitsio or libtorch) or a hang is counted, its input kept, and the campaign goes on
/// after it. Each child prints one line per case ("R case kind outcome") and "S case kind" before it starts, so the case a
/// child died in is known. Writes bench/results/fuzz.json: cases, crashes, hangs, unnamed refusals and the counts per kind.
/// </summary>
internal static class FuzzSoak
{
    public static int Run(string[] argv)
    {
        var a = new SoakArgs(argv);
        long cases = a.Long("--cases", 100_000), seed = a.Long("--seed", 18), chunk = a.Long("--chunk", 4000);
        string outPath = a.Get("--out", "bench/results/fuzz.json");
        string work = Path.GetFullPath(a.Get("--work", Path.Combine(Path.GetTempPath(), "scorpio-fuzz-soak")));
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var clock = Stopwatch.StartNew();
        var total = new FuzzReport { Seed = seed };
        var nativeCrashes = new List<JsonObject>();
        int children = 0;
        for (long from = 0; from < cases;)
        {
            long count = Math.Min(chunk, cases - from);
            var (last, exit, part) = Child(work, seed, from, count);
            children++;
            total.Merge(part);
            if (exit == 0) { from += count; continue; }
            if (last is null) throw new InvalidOperationException($"fuzz worker exited with {exit} before its first case (from {from})");
            var (k, kind) = last.Value;
            if (exit != FuzzSoakWorkerHang)
            {
                // Killed by a signal (a native fault) or an unhandled exception: that case crashed.
                if (!total.Kinds.TryGetValue(kind, out var c)) total.Kinds[kind] = c = new FuzzKindCounts();
                c.Cases++;
                c.Crashes++;
                total.AddFailure(new FuzzFailure(k, kind, $"process exit {exit}", "the reader killed the process", null));
                nativeCrashes.Add(new JsonObject { ["case"] = k, ["kind"] = kind, ["exit"] = exit });
            }
            from = k + 1;
            Console.Error.WriteLine($"fuzz: case {k} ({kind}) {(exit == FuzzSoakWorkerHang ? "hung" : $"killed the worker (exit {exit})")}; continuing after it");
        }
        var json = new JsonObject
        {
            ["benchmark"] = "fuzz",
            ["issue"] = 18,
            ["command"] = $"dotnet run -c Release --project bench/soak -- fuzz --cases {cases} --seed {seed}",
            ["cases"] = total.Cases,
            ["crashes"] = total.Crashes,
            ["hangs"] = total.Hangs,
            ["unnamed_refusals"] = total.Unnamed,
            ["over_memory"] = total.OverMemory,
            ["seed"] = seed,
            ["kinds"] = JsonSerializer.SerializeToNode(total.Kinds),
            ["failures"] = JsonSerializer.SerializeToNode(total.Failures),
            ["native_crashes"] = new JsonArray(nativeCrashes.ToArray<JsonNode?>()),
            ["worker_processes"] = children,
            ["hang_limit_seconds"] = 20,
            ["memory_limit_bytes_per_case"] = 1L << 30,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["cpu"] = BenchMachine.CpuModel(),
            ["load_average"] = BenchMachine.LoadAverage(),
        };
        BenchMachine.WriteJson(outPath, json);
        Console.WriteLine(total.Summary());
        return total.Crashes + total.Hangs + total.Unnamed + total.OverMemory == 0 ? 0 : 1;
    }

    private const int FuzzSoakWorkerHang = 3;

    // Runs one child on cases [from, from + count); returns the last case it started, its exit code and what it reported.
    private static ((long, string)? Last, int Exit, FuzzReport Part) Child(string work, long seed, long from, long count)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(FuzzSoak).Assembly.Location);
        foreach (var s in new[] { "fuzz-worker", "--seed", seed.ToString(), "--from", from.ToString(), "--count", count.ToString(), "--work", work }) psi.ArgumentList.Add(s);
        using var p = Process.Start(psi)!;
        (long, string)? last = null;
        var part = new FuzzReport { Seed = seed, From = from };
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            var f = line.Split(' ', 3);
            if (f[0] == "S" && f.Length == 3) last = (long.Parse(f[1]), f[2]);
            else if (f[0] == "REPORT") part = JsonSerializer.Deserialize<FuzzReport>(line[7..])!;
        }
        p.WaitForExit();
        return (last, p.ExitCode, part);
    }

    /// <summary>The child: runs its cases in-process and reports them (see the class summary).</summary>
    public static int Worker(string[] argv)
    {
        var a = new SoakArgs(argv);
        long seed = a.Long("--seed", 18), from = a.Long("--from", 0), count = a.Long("--count", 1000);
        string work = a.Get("--work", Path.GetTempPath());
        Scorpio.Torch.torch.NumThreads = 1;
        using var corpus = FuzzCorpus.Create(Path.Combine(work, $"corpus-{from}"));
        var stdout = Console.Out;
        var campaign = new FuzzCampaign(corpus, FuzzTargets.All(), Path.Combine(work, "cases"))
        {
            OnStart = (k, kind) => { lock (stdout) { stdout.WriteLine($"S {k} {kind}"); stdout.Flush(); } },
        };
        var report = campaign.Run(seed, from, count);
        lock (stdout)
        {
            stdout.WriteLine("REPORT " + JsonSerializer.Serialize(report));
            stdout.Flush();
        }
        if (report.StoppedAt is not null) Environment.Exit(FuzzSoakWorkerHang); // the hung thread cannot be stopped otherwise
        return 0;
    }
}
