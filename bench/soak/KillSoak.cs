using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Simulation;
using Scorpio.Training;

namespace Scorpio.Bench.Soak;

/// <summary>
/// Kill -9 at random moments: a tiny `scorpio train` run (width-8 network, 16x16 galaxies, a checkpoint every 5 steps) is killed
/// with SIGKILL 20 times and resumed after each kill, then run to the end. Kill moments cycle through: the instant a checkpoint
/// write (weights, EMA and optimiser state) has its temporary file open, the instant model.safetensors (the EMA weights) is being
/// written, and a random delay after training has started (mostly inside a step). After every kill, each checkpoint and weights
/// file present must load and pass its checksum; at the end the weights and the whole training state (model, EMA, optimiser,
/// RNG, step) must be bit-identical (SHA-256 of the tensors) to an uninterrupted run's, no temporary file may remain, and
/// loss.csv must hold each step exactly once. Writes bench/results/kill.json.
/// </summary>
internal static class KillSoak
{
    public static int Run(string[] argv)
    {
        var a = new SoakArgs(argv);
        int kills = (int)a.Long("--kills", 20), steps = (int)a.Long("--steps", 200);
        string outPath = a.Get("--out", "bench/results/kill.json");
        string work = Path.GetFullPath(a.Get("--work", Path.Combine(Path.GetTempPath(), "scorpio-kill-soak")));
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var rng = new Random((int)a.Long("--seed", 18));
        var clock = Stopwatch.StartNew();

        string data = Path.Combine(work, "galaxies.fits");
        FitsFile.Write(data, new GalaxySimulator(new GalaxySimulatorOptions().ForSize(16)).Simulate(64, 5).Images);
        string[] Train(string run, bool resume) => resume
            ? ["train", "--out", run, "--resume", "--threads", "1", "--device", "cpu"]
            : ["train", "--data", data, "--out", run, "--preset", "tiny", "--steps", steps.ToString(), "--batch", "4",
               "--checkpoint-every", "5", "--seed", "1", "--threads", "1", "--device", "cpu"];

        string reference = Path.Combine(work, "reference");
        var refClock = Stopwatch.StartNew();
        var (refExit, refErr) = RunScorpio(Train(reference, false));
        if (refExit != 0) throw new InvalidOperationException($"the uninterrupted run failed (exit {refExit}): {refErr}");
        double refSeconds = refClock.Elapsed.TotalSeconds;
        // The training part of the reference (loss.csv's cumulative seconds), without process start-up: random kills land
        // within a tenth of it after training has started, so that 20 kills spread over the whole run.
        double trainSeconds = double.Parse(File.ReadLines(Path.Combine(reference, "loss.csv")).Last().Split(',')[4], System.Globalization.CultureInfo.InvariantCulture);

        string run = Path.Combine(work, "run");
        var events = new JsonArray();
        int unreadable = 0;
        string[] modes = ["checkpoint-write", "model-write", "random", "random"];
        for (int i = 0; i < kills; i++)
        {
            bool resume = File.Exists(Path.Combine(run, "config.json"));
            string mode = modes[i % modes.Length];
            var p = Start(Train(run, resume));
            var started = Stopwatch.StartNew();
            string what = WaitAndKill(p, run, mode, rng, trainSeconds, out bool exited);
            var state = Inspect(run, ref unreadable);
            state["kill"] = i + 1;
            state["mode"] = mode;
            state["resumed"] = resume;
            state["killed_at_seconds"] = Math.Round(started.Elapsed.TotalSeconds, 3);
            state["killed_during"] = exited ? "(the run had finished)" : what;
            events.Add(state);
            Console.Error.WriteLine($"kill {i + 1}/{kills}: {mode}, {state["killed_during"]}, checkpoint step {state["checkpoint_step"]}");
        }
        // Run to the end.
        int finishes = 0;
        while (true)
        {
            var (exit, err) = RunScorpio(Train(run, File.Exists(Path.Combine(run, "config.json"))));
            finishes++;
            if (exit != 0) throw new InvalidOperationException($"resuming after the kills failed (exit {exit}): {err}");
            if (CheckpointStep(run) == steps || finishes > 3) break;
        }

        var (refModel, refState) = Checksums(reference);
        var (model, trainingState) = Checksums(run);
        var leftovers = Directory.GetFiles(run).Where(f => Path.GetFileName(f).Contains(".tmp")).Select(Path.GetFileName).ToArray();
        var rows = File.ReadAllLines(Path.Combine(run, "loss.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[0])).ToList();
        bool rowsOk = rows.SequenceEqual(Enumerable.Range(1, steps).Select(s => (long)s));
        var json = new JsonObject
        {
            ["benchmark"] = "kill",
            ["issue"] = 18,
            ["command"] = $"dotnet run -c Release --project bench/soak -- kill --kills {kills} --steps {steps}",
            ["kills"] = kills,
            ["steps"] = steps,
            ["checkpoint_every"] = 5,
            ["bit_identical_weights"] = model == refModel,
            ["bit_identical_training_state"] = trainingState == refState,
            ["weights_sha256"] = model,
            ["reference_weights_sha256"] = refModel,
            ["unreadable_checkpoints"] = unreadable,
            ["temporary_files_left"] = new JsonArray(leftovers.Select(f => (JsonNode?)f).ToArray()),
            ["loss_rows_each_step_once"] = rowsOk,
            ["kills_during"] = new JsonObject(events.GroupBy(e => e!["killed_during"]!.GetValue<string>()).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
            ["events"] = events,
            ["reference_seconds"] = Math.Round(refSeconds, 1),
            ["reference_training_seconds"] = Math.Round(trainSeconds, 1),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["cpu"] = BenchMachine.CpuModel(),
            ["load_average"] = BenchMachine.LoadAverage(),
        };
        BenchMachine.WriteJson(outPath, json);
        bool ok = model == refModel && trainingState == refState && unreadable == 0 && leftovers.Length == 0 && rowsOk;
        Console.WriteLine(ok ? "kill soak: passed" : "kill soak: FAILED");
        return ok ? 0 : 1;
    }

    // Kills when the mode's moment comes; says what the run was doing, judged from its files at that instant.
    private static string WaitAndKill(Process p, string run, string mode, Random rng, double trainSeconds, out bool exited)
    {
        var deadline = Stopwatch.StartNew();
        string lossPath = Path.Combine(run, "loss.csv");
        long startStep = CheckpointStep(run);
        var startTime = DateTime.UtcNow;
        double delay = rng.NextDouble() * trainSeconds / 10;
        var afterStart = (Stopwatch?)null;
        while (!p.HasExited && deadline.Elapsed.TotalSeconds < 120)
        {
            var tmp = Directory.Exists(run) ? Directory.GetFiles(run, "*.tmp*").Select(Path.GetFileName).ToArray() : [];
            bool ckptTmp = tmp.Any(f => f!.StartsWith("checkpoint.safetensors.tmp")), modelTmp = tmp.Any(f => f!.StartsWith("model.safetensors.tmp"));
            bool go = mode switch
            {
                "checkpoint-write" => ckptTmp,
                "model-write" => modelTmp,
                _ => afterStart is not null && afterStart.Elapsed.TotalSeconds >= delay,
            };
            // Training has started once this process has logged a step beyond the checkpoint it resumed from.
            if (afterStart is null && File.Exists(lossPath) && File.GetLastWriteTimeUtc(lossPath) > startTime && LoggedSteps(lossPath) > startStep) afterStart = Stopwatch.StartNew();
            if (go)
            {
                try { p.Kill(); } catch (InvalidOperationException) { }
                p.WaitForExit();
                exited = false;
                return ckptTmp ? "checkpoint write (weights, EMA, optimiser state)" : modelTmp ? "model.safetensors write (EMA weights)" : "a training step";
            }
            Thread.Sleep(1);
        }
        exited = p.HasExited;
        if (!p.HasExited) { p.Kill(); p.WaitForExit(); }
        return "timeout";
    }

    private static long LoggedSteps(string lossPath)
    {
        try { return File.ReadLines(lossPath).Count() - 1; }
        catch (IOException) { return 0; }
    }

    // After a kill: every checkpoint and weights file present loads and passes its checksum.
    private static JsonObject Inspect(string run, ref int unreadable)
    {
        var o = new JsonObject();
        foreach (var name in new[] { "checkpoint.safetensors", "model.safetensors" })
        {
            string path = Path.Combine(run, name);
            if (!File.Exists(path)) { o[name] = "absent"; continue; }
            try
            {
                var (tensors, meta) = RunFolder.ReadVerified(path);
                foreach (var t in tensors.Values) t.Dispose();
                o[name] = "step " + meta["step"];
            }
            catch (Exception e)
            {
                unreadable++;
                o[name] = "UNREADABLE: " + e.Message;
            }
        }
        o["checkpoint_step"] = CheckpointStep(run);
        o["temporary_files"] = Directory.Exists(run) ? Directory.GetFiles(run, "*.tmp*").Length : 0;
        return o;
    }

    private static long CheckpointStep(string run)
    {
        string path = Path.Combine(run, "checkpoint.safetensors");
        if (!File.Exists(path)) return 0;
        try { return long.Parse(Scorpio.Torch.Safetensors.LoadMetadata(path)["step"]); }
        catch (Exception) { return -1; }
    }

    private static (string Model, string State) Checksums(string run)
    {
        string Sum(string name) => Scorpio.Torch.Safetensors.LoadMetadata(Path.Combine(run, name))[RunFolder.ChecksumKey];
        return (Sum("model.safetensors"), Sum("checkpoint.safetensors"));
    }

    internal static Process Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(SoakArgs.ScorpioDll);
        foreach (var s in args) psi.ArgumentList.Add(s);
        var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        return p;
    }

    internal static (int Exit, string Stderr) RunScorpio(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(SoakArgs.ScorpioDll);
        foreach (var s in args) psi.ArgumentList.Add(s);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }
}
