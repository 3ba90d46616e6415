using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Simulation;
using Scorpio.Cli;
using Scorpio.Data;
using Scorpio.Networks;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Bench.Soak;

/// <summary>
/// Bounded memory: the resident set size (RSS) sampled over 10^4 tiny training steps and over a 1,000-step sampling run must stay
/// flat (after a warm-up of the first 10% of samples, the mean of the last 10% within 5% of the mean of the next 10%), and the
/// count of live native tensors must return to its starting value after every command (each run in this process through
/// <see cref="ScorpioCli.Run"/>). Writes bench/results/memory.json.
/// </summary>
internal static class MemorySoak
{
    public static int Run(string[] argv)
    {
        var a = new SoakArgs(argv);
        int trainSteps = (int)a.Long("--train-steps", 10_000), sampleSteps = (int)a.Long("--sample-steps", 1000);
        string outPath = a.Get("--out", "bench/results/memory.json");
        string work = Path.GetFullPath(a.Get("--work", Path.Combine(Path.GetTempPath(), "scorpio-memory-soak")));
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        torch.NumThreads = 1;
        var clock = Stopwatch.StartNew();

        // 1. Training: RSS after every 50 steps.
        var images = new GalaxySimulator(new GalaxySimulatorOptions().ForSize(16)).Simulate(64, 5).Images;
        var trainRss = new List<double>();
        string run = Path.Combine(work, "run");
        using (var samples = torch.FromArray(images.Data, [64, 1, 16, 16]))
        using (var data = new TrainingDataset(samples, ["(memory soak)"]))
        {
            var config = new RunConfig
            {
                Seed = 1,
                Network = new NetworkConfig { Width = 8, ChannelMult = [1, 2], AttentionResolutions = [8], ImageSize = 16 },
                Training = new TrainingConfig { Steps = trainSteps, Batch = 4, CheckpointEvery = 1000 },
            };
            var monitor = new RssMonitor(50, trainRss);
            var result = Trainer.Run(new TrainingOptions { OutDir = run, Config = config, Data = data, Monitor = monitor });
            Console.Error.WriteLine($"memory: {result.Message}");
        }
        var trainFlat = Flatness(trainRss);

        // 2. Sampling: RSS after every sampler step of a 1,000-step Euler-Maruyama run.
        var sampleRss = new List<double>();
        using (var model = Models.ScoreModel.Load(run, Device.CPU))
        {
            var options = new PriorSamplingOptions { Sampler = SamplerRegistry.Get("euler-maruyama"), Settings = new SamplerOptions { Steps = sampleSteps }, Count = 16, BatchSize = 16, Seed = 1 };
            PriorSampling.Draw(model, options, progress: _ => sampleRss.Add(RssMiB()));
        }
        var sampleFlat = Flatness(sampleRss);

        // 3. Live native tensors around every command, run in this process.
        string P(string f) => Path.Combine(work, f);
        FitsFile.Write(P("truth.fits"), images.Plane(0));
        var commands = new List<string[]>
        {
            new[] { "simulate", "galaxies", "--n", "4", "--size", "16", "--out", P("g.fits") },
            new[] { "simulate", "psf", "--model", "moffat", "--fwhm", "2", "--size", "7", "--out", P("psf.fits") },
            new[] { "simulate", "observe", "--image", P("truth.fits"), "--psf", P("psf.fits"), "--sigma", "0.02", "--out", P("obs.fits") },
            new[] { "simulate", "trails", "--image", P("truth.fits"), "--out", P("trail.fits"), "--mask-out", P("trail_mask.fits") },
            new[] { "data", "stats", P("g.fits") },
            new[] { "train", "--data", P("g.fits"), "--out", P("run2"), "--preset", "tiny", "--steps", "3", "--batch", "2" },
            new[] { "train", "--out", P("run2"), "--resume", "--steps", "5" },
            new[] { "train-noise", "--data", P("g.fits"), "--out", P("noise"), "--preset", "tiny", "--steps", "2", "--batch", "2" },
            new[] { "sample", "--model", run, "--n", "3", "--steps", "5", "--out", P("s.fits"), "--png", P("s.png") },
            new[] { "loglik", "--model", run, "--data", P("g.fits"), "--n", "2", "--out", P("ll.json") },
            new[] { "posterior", "--prior", run, "--obs", P("obs.fits"), "--psf", P("psf.fits"), "--sigma", "0.02", "--steps", "5", "--n", "2", "--prior-samples", "2", "--out", P("post") },
            new[] { "posterior", "--prior", run, "--obs", P("obs.fits"), "--noise-model", P("noise"), "--steps", "5", "--n", "2", "--prior-samples", "0", "--out", P("post-slic") },
            new[] { "inpaint", "--prior", run, "--image", P("trail.fits"), "--mask", P("trail_mask.fits"), "--steps", "5", "--n", "2", "--out", P("inpaint") },
            new[] { "transfer", "--prior", run, "--image", P("truth.fits"), "--steps", "5", "--n", "2", "--out", P("transfer") },
            new[] { "baseline", "rl", "--image", P("obs.fits"), "--psf", P("psf.fits"), "--out", P("rl.fits") },
            new[] { "evaluate-posterior", "--truth", P("truth.fits"), "--posterior", P("post"), "--out", P("post-eval") },
            new[] { "sample", "--model", P("no-such-run"), "--n", "1", "--out", P("x.fits") },   // a failing command must not leak either
        };
        var perCommand = new JsonArray();
        bool tensorsBalanced = true;
        var quiet = TextWriter.Null;
        foreach (var args in commands)
        {
            long before = torch.LiveTensorCount;
            var (o, e) = (Console.Out, Console.Error);
            var err = new StringWriter();
            Console.SetOut(quiet);
            Console.SetError(err);
            int rc;
            try { rc = ScorpioCli.Run([.. args, "--threads", "1", "--device", "cpu"]); }
            finally { Console.SetOut(o); Console.SetError(e); }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long after = torch.LiveTensorCount;
            tensorsBalanced &= after == before;
            perCommand.Add(new JsonObject
            {
                ["command"] = string.Join(" ", args.Take(2)), ["exit"] = rc, ["live_tensors_before"] = before, ["live_tensors_after"] = after,
                ["error"] = rc == 0 ? null : err.ToString().Trim(),
            });
            Console.Error.WriteLine($"memory: {string.Join(" ", args.Take(2))}: exit {rc}, live tensors {before} -> {after}");
        }

        var json = new JsonObject
        {
            ["benchmark"] = "memory",
            ["issue"] = 18,
            ["command"] = $"dotnet run -c Release --project bench/soak -- memory --train-steps {trainSteps} --sample-steps {sampleSteps}",
            ["rule"] = "after a warm-up of the first 10% of samples, |mean(last 10%) / mean(next 10%) - 1| <= 0.05",
            ["training"] = Describe(trainSteps, "steps (width-8 NCSN++, 16x16, batch 4), RSS every 50 steps", trainRss, trainFlat),
            ["sampling"] = Describe(sampleSteps, "Euler-Maruyama steps on 16 samples, RSS every step", sampleRss, sampleFlat),
            ["live_tensors_return_to_start_after_every_command"] = tensorsBalanced,
            ["commands"] = perCommand,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["cpu"] = BenchMachine.CpuModel(),
            ["load_average"] = BenchMachine.LoadAverage(),
        };
        BenchMachine.WriteJson(outPath, json);
        bool ok = trainFlat.Flat && sampleFlat.Flat && tensorsBalanced;
        Console.WriteLine(ok ? "memory soak: passed" : "memory soak: FAILED");
        return ok ? 0 : 1;
    }

    private static JsonObject Describe(int steps, string what, List<double> rss, (double First, double Last, double Change, bool Flat) f) => new()
    {
        ["steps"] = steps,
        ["what"] = what,
        ["rss_samples"] = rss.Count,
        ["rss_mib_after_warmup_first_10pct"] = Math.Round(f.First, 2),
        ["rss_mib_last_10pct"] = Math.Round(f.Last, 2),
        ["relative_change"] = Math.Round(f.Change, 4),
        ["flat"] = f.Flat,
        ["rss_mib_min"] = Math.Round(rss.Min(), 2),
        ["rss_mib_max"] = Math.Round(rss.Max(), 2),
        ["rss_mib_every_10pct"] = new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode?)Math.Round(rss[Math.Min(rss.Count - 1, i * (rss.Count - 1) / 10)], 2)).ToArray()),
    };

    // The flatness rule of issue 18: warm-up = first 10% of the samples; compare the next 10% with the last 10%.
    private static (double First, double Last, double Change, bool Flat) Flatness(List<double> rss)
    {
        int n = rss.Count, tenth = Math.Max(1, n / 10);
        double first = rss.Skip(tenth).Take(tenth).Average(), last = rss.Skip(n - tenth).Average();
        double change = last / first - 1;
        return (first, last, change, Math.Abs(change) <= 0.05);
    }

    private static double RssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }

    private sealed class RssMonitor(int every, List<double> into) : ITrainingMonitor
    {
        public void Progress(TrainingProgress progress)
        {
            if (progress.Step % every == 0) into.Add(RssMiB());
        }
    }
}
