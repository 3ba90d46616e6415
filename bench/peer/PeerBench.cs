using static Scorpio.Bench.BenchMachine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;

namespace Scorpio.Bench.Peer;

/// <summary>Settings of one benchmark run.</summary>
internal sealed record PeerSettings(string ScoreModelsPath, string Python, int Threads, int Batch, int Rounds, int Warmup,
    int Evaluations, string WaitPolicy, string DdpmPreset, string OutDir);

/// <summary>The cases: what each side runs, how the two are put on one scale, and the goal of issue 15.</summary>
internal sealed class PeerBench(PeerSettings s)
{
    // The width-32 NCSN++ of `scorpio sample` (the cpu preset) and score_models' NCSNpp of the same widths.
    private static readonly JsonObject SmallNcsnpp = new() { ["channels"] = 1, ["nf"] = 32, ["ch_mult"] = new JsonArray(1, 2, 2), ["num_res_blocks"] = 1 };
    private const double SigmaMin = 0.01, SigmaMax = 50, NoiseSigma = 0.05;

    /// <summary>
    /// score_models' DDPM arguments for the Scorpio preset compared: ddpm-ho-paper is DDPM() as score_models 0.6 builds it
    /// (ch_mult (2, 2)); older releases (0.5.x, which runs on Debian's torch without peft) default to (1, 1, 2, 2, 4, 4), so
    /// the multipliers are passed explicitly and both sides build the same network.
    /// </summary>
    private static JsonObject DdpmHparams(string preset) => preset == "ddpm-ho-paper"
        ? new JsonObject { ["channels"] = 1, ["ch_mult"] = new JsonArray(2, 2) }
        : new JsonObject { ["channels"] = 1 };

    private static string WorkerScript => Path.Combine(RepoRoot(), "bench", "peer", "peer_worker.py");

    public JsonObject Run(string name, int size)
    {
        string load0 = LoadAverage();
        var result = name switch
        {
            "ncsnpp-forward" => InProcess("forward", "ncsnpp-paper", "ncsnpp", new JsonObject { ["channels"] = 1 }, size, perFlop: false, goal: 0.7),
            "ncsnpp-train" => InProcess("train", "ncsnpp-paper", "ncsnpp", new JsonObject { ["channels"] = 1 }, size, perFlop: false, goal: 0.6),
            "ddpm-forward" => InProcess("forward", s.DdpmPreset, "ddpm", DdpmHparams(s.DdpmPreset), size, perFlop: true, goal: 0.8),
            "sample" => EndToEnd(posterior: false, size),
            "posterior" => EndToEnd(posterior: true, size),
            _ => throw new ArgumentException($"unknown case '{name}' (ncsnpp-forward, ncsnpp-train, ddpm-forward, sample, posterior)"),
        };
        result["case"] = name;
        result["size"] = size;
        result["batch"] = s.Batch;
        result["threads"] = s.Threads;
        result["rounds"] = s.Rounds;
        result["wait_policy"] = s.WaitPolicy == "passive" ? "OMP_WAIT_POLICY=PASSIVE on both sides" : "each side's default (Scorpio: passive; libgomp: spin)";
        result["machine"] = Machine(load0);
        result["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return result;
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["SCORE_MODELS_PATH"] = s.ScoreModelsPath,
        ["OMP_WAIT_POLICY"] = s.WaitPolicy == "passive" ? "PASSIVE" : null,
        ["OMP_NUM_THREADS"] = s.Threads.ToString(CultureInfo.InvariantCulture),
    };

    // ------------------------------------------------------------------ cases inside long-lived workers

    private JsonObject InProcess(string kind, string preset, string arch, JsonObject hparams, int size, bool perFlop, double goal)
    {
        var common = new JsonObject { ["kind"] = kind, ["size"] = size, ["batch"] = s.Batch, ["sigma_min"] = SigmaMin, ["sigma_max"] = SigmaMax };
        var scorpioSpec = (JsonObject)common.DeepClone();
        scorpioSpec["preset"] = preset;
        var smSpec = (JsonObject)common.DeepClone();
        smSpec["arch"] = arch;
        smSpec["hparams"] = hparams.DeepClone();
        string self = typeof(PeerBench).Assembly.Location;
        using var scorpio = new Worker("scorpio", "dotnet", [self, "serve", s.Threads.ToString(CultureInfo.InvariantCulture)], Environment());
        using var peer = new Worker("score_models", s.Python, [WorkerScript, "--serve", "--threads", s.Threads.ToString(CultureInfo.InvariantCulture)], Environment());
        var sInfo = scorpio.Build("c", scorpioSpec);
        var pInfo = peer.Build("c", smSpec);
        scorpio.Run("c", s.Warmup);
        peer.Run("c", s.Warmup);
        var sTimes = new List<(double Wall, double Cpu)>();
        var pTimes = new List<(double Wall, double Cpu)>();
        for (int r = 0; r < s.Rounds; r++)
        {
            if (r % 2 == 0) { sTimes.AddRange(scorpio.Run("c", 1)); pTimes.AddRange(peer.Run("c", 1)); }
            else { pTimes.AddRange(peer.Run("c", 1)); sTimes.AddRange(scorpio.Run("c", 1)); }
            Console.Error.WriteLine($"   round {r + 1}: scorpio {sTimes[^1].Wall:F3} s, score_models {pTimes[^1].Wall:F3} s");
        }
        var sSide = Side($"Scorpio {preset} preset", sInfo, sTimes, scorpio.PeakKb(), scorpio.Hello);
        var pSide = Side($"score_models {(arch == "ncsnpp" ? "NCSNpp" : "DDPM")} defaults", pInfo, pTimes, peer.PeakKb(), peer.Hello);
        return Compare(sSide, pSide, perFlop, goal, kind == "train" ? "s per training step" : "s per forward (no grad)");
    }

    // ------------------------------------------------------------------ end-to-end processes

    private JsonObject EndToEnd(bool posterior, int size)
    {
        var dir = Directory.CreateTempSubdirectory("scorpio-peer-").FullName;
        try
        {
            string scorpio = Path.Combine(RepoRoot(), "bin", "scorpio");
            string Path_(string f) => System.IO.Path.Combine(dir, f);
            // Set-up (not timed): a Scorpio run folder with the cpu-preset NCSN++, score_models' network of the same widths
            // saved as a state_dict, an observation and a PSF in both formats.
            Check(Process(scorpio, ["simulate", "galaxies", "--n", "8", "--size", $"{size}", "--out", Path_("g.fits"), "--seed", "1"], dir));
            Check(Process(scorpio, ["train", "--data", Path_("g.fits"), "--out", Path_("run"), "--preset", "cpu", "--steps", "1", "--batch", "2",
                "--threads", $"{s.Threads}"], dir));
            var save = Process(s.Python, [WorkerScript, "save-model", "--hparams", SmallNcsnpp.ToJsonString(), "--size", $"{size}",
                "--batch", $"{s.Batch}", "--out", Path_("m.pt")], dir);
            Check(save);
            var pInfo = JsonNode.Parse(save.Stdout.Trim().Split('\n')[^1])!.AsObject();
            var galaxy = FitsFile.Read(Path_("g.fits"));
            var obs = new ImageData(galaxy.Data.Take(size * size).ToArray(), size, size);
            FitsFile.Write(Path_("y.fits"), obs);
            NpyFile.Write(Path_("y.npy"), obs);
            var psf = GaussianPsf(9, 1.5);
            FitsFile.Write(Path_("psf.fits"), psf);
            NpyFile.Write(Path_("psf.npy"), psf);

            string steps = $"{s.Evaluations}";
            List<string> sArgs = posterior
                ? ["posterior", "--method", "score", "--prior", Path_("run"), "--obs", Path_("y.fits"), "--psf", Path_("psf.fits"), "--sigma", $"{NoiseSigma}",
                   "--covariance", "fourier", "--sampler", "euler-maruyama", "--grid", "uniform", "--steps", steps, "--n", $"{s.Batch}",
                   "--batch", $"{s.Batch}", "--prior-samples", "0", "--out", Path_("post"), "--threads", $"{s.Threads}", "--seed", "1"]
                : ["sample", "--model", Path_("run"), "--sampler", "euler-maruyama", "--steps", steps, "--n", $"{s.Batch}", "--batch", $"{s.Batch}",
                   "--out", Path_("s.fits"), "--threads", $"{s.Threads}", "--seed", "1"];
            List<string> pArgs = [WorkerScript, "sample", "--hparams", SmallNcsnpp.ToJsonString(), "--model", Path_("m.pt"), "--size", $"{size}",
                "--batch", $"{s.Batch}", "--steps", steps, "--threads", $"{s.Threads}", "--out", Path_("s.npy"),
                "--sigma-min", $"{SigmaMin}", "--sigma-max", $"{SigmaMax}"];
            if (posterior) pArgs.AddRange(["--obs", Path_("y.npy"), "--psf", Path_("psf.npy"), "--noise-sigma", $"{NoiseSigma}"]);

            var sRuns = new List<Timed>();
            var pRuns = new List<Timed>();
            for (int r = 0; r < s.Rounds; r++)
            {
                for (int side = 0; side < 2; side++)
                {
                    bool scorpioTurn = (side == 0) == (r % 2 == 0);
                    if (posterior && scorpioTurn && Directory.Exists(Path_("post"))) Directory.Delete(Path_("post"), true);
                    var run = scorpioTurn ? Process(scorpio, sArgs, dir) : Process(s.Python, pArgs, dir);
                    Check(run);
                    // One batch of samples: the evaluations of the batch are the process's.
                    int nfe = !scorpioTurn ? JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!["evaluations"]!.GetValue<int>()
                        : posterior ? int.Parse(Regex.Match(File.ReadAllText(Path_("post/summary.json")), @"""evaluations_per_batch"":\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture)
                        : int.Parse(Regex.Match(run.Stderr, @"(\d+) network evaluations").Groups[1].Value, CultureInfo.InvariantCulture);
                    (scorpioTurn ? sRuns : pRuns).Add(run with { Evaluations = nfe });
                    Console.Error.WriteLine($"   round {r + 1}: {(scorpioTurn ? "scorpio" : "score_models")} {run.Wall:F1} s for {nfe} evaluations");
                }
            }
            long sFlops = ForwardFlopsOfRun(Path_("run"), size);
            var sSide = Side("scorpio " + (posterior ? "posterior" : "sample") + ", cpu preset (width-32 NCSN++)",
                new JsonObject { ["params"] = CountParams(Path_("run")), ["flops"] = sFlops },
                sRuns.Select(r => (r.Wall / r.Evaluations, r.Cpu / r.Evaluations)).ToList(), sRuns.Max(r => r.PeakKb), null);
            sSide["evaluations"] = sRuns[0].Evaluations;
            var pSide = Side("score_models ScoreModel.sample" + (posterior ? " with a convolved Gaussian likelihood score" : "") + ", NCSNpp nf 32 (1,2,2)",
                pInfo, pRuns.Select(r => (r.Wall / r.Evaluations, r.Cpu / r.Evaluations)).ToList(), pRuns.Max(r => r.PeakKb), null);
            pSide["evaluations"] = pRuns[0].Evaluations;
            var result = Compare(sSide, pSide, perFlop: false, goal: 0.8, "s per network evaluation, whole process (start-up included)");
            result["note"] = $"Euler-Maruyama, {s.Evaluations} steps, batch {s.Batch}, each process timed from start to exit, divided by its network evaluations";
            return result;
        }
        finally { Directory.Delete(dir, true); }
    }

    private sealed record Timed(double Wall, double Cpu, long PeakKb, string Stdout, string Stderr, int ExitCode, string Command, int Evaluations = 0);

    // Runs a process under /usr/bin/time: wall seconds, user + system CPU seconds, peak resident kB.
    private Timed Process(string program, IReadOnlyList<string> args, string dir)
    {
        string timeFile = System.IO.Path.Combine(dir, "time.txt");
        var psi = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "%e %U %S %M", "-o", timeFile, program }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Environment())
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var f = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new Timed(f[0], f[1] + f[2], (long)f[3], stdout.Result, stderr.Result, p.ExitCode, $"{program} {string.Join(" ", args)}");
    }

    private static void Check(Timed t)
    {
        if (t.ExitCode != 0) throw new InvalidOperationException($"{t.Command} exited {t.ExitCode}:\n{t.Stderr}\n{t.Stdout}");
    }

    private long ForwardFlopsOfRun(string run, int size)
    {
        using var model = Scorpio.Models.ScoreModel.Load(run, Scorpio.Torch.Device.CPU);
        using var scope = Scorpio.Torch.torch.NewDisposeScope();
        using var x = Scorpio.Torch.torch.Zeros([s.Batch, 1, size, size]);
        using var t = Scorpio.Torch.torch.Full([s.Batch], 0.5);
        using var counter = Scorpio.Torch.FlopCounter.Start();
        using (Scorpio.Torch.torch.InferenceMode()) model.SigmaScore(x, t);
        return counter.Flops;
    }

    private static long CountParams(string run)
    {
        using var model = Scorpio.Models.ScoreModel.Load(run, Scorpio.Torch.Device.CPU);
        return model.Network.ParameterCount;
    }

    private static ImageData GaussianPsf(int n, double sigma)
    {
        var d = new float[n * n];
        double sum = 0;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                sum += d[y * n + x] = (float)Math.Exp(-((x - n / 2) * (x - n / 2) + (y - n / 2) * (y - n / 2)) / (2 * sigma * sigma));
        for (int k = 0; k < d.Length; k++) d[k] /= (float)sum;
        return new ImageData(d, n, n);
    }

    // ------------------------------------------------------------------ statistics and the JSON

    private static JsonObject Side(string label, JsonObject info, List<(double Wall, double Cpu)> times, long peakKb, JsonObject? hello)
    {
        var walls = times.Select(t => t.Wall).ToList();
        var side = new JsonObject
        {
            ["label"] = label,
            ["params"] = info["params"]!.GetValue<long>(),
            ["tensors"] = info["tensors"]?.GetValue<long>(),
            ["forward_gflop"] = Math.Round(info["flops"]!.GetValue<long>() / 1e9, 3),
            ["wall_s"] = new JsonArray(walls.Select(w => (JsonNode)Math.Round(w, 5)).ToArray()),
            ["cpu_s"] = new JsonArray(times.Select(t => (JsonNode)Math.Round(t.Cpu, 5)).ToArray()),
            ["min_s"] = Math.Round(walls.Min(), 5),
            ["median_s"] = Math.Round(Median(walls), 5),
            ["median_cpu_s"] = Math.Round(Median(times.Select(t => t.Cpu).ToList()), 5),
            ["peak_rss_mb"] = Math.Round(peakKb / 1024.0, 1),
        };
        if (hello is not null) side["worker"] = hello.DeepClone();
        return side;
    }

    private static JsonObject Compare(JsonObject sSide, JsonObject pSide, bool perFlop, double goal, string unit)
    {
        double sF = sSide["forward_gflop"]!.GetValue<double>(), pF = pSide["forward_gflop"]!.GetValue<double>();
        double Norm(JsonObject side, string key, double flops) => side[key]!.GetValue<double>() / (perFlop ? flops : 1);
        double ratio = Norm(sSide, "median_s", sF) / Norm(pSide, "median_s", pF);
        double ratioMin = Norm(sSide, "min_s", sF) / Norm(pSide, "min_s", pF);
        double ratioCpu = Norm(sSide, "median_cpu_s", sF) / Norm(pSide, "median_cpu_s", pF);
        if (perFlop)
            foreach (var side in new[] { sSide, pSide })
                side["gflop_per_s"] = Math.Round(side["forward_gflop"]!.GetValue<double>() / side["median_s"]!.GetValue<double>(), 2);
        long sP = sSide["params"]!.GetValue<long>(), pP = pSide["params"]!.GetValue<long>();
        return new JsonObject
        {
            ["unit"] = perFlop ? (sF == pF ? "s per forward GFLOP (the same network: equal FLOPs)" : "s per forward GFLOP (different architectures: compared per FLOP)") : unit,
            ["scorpio"] = sSide,
            ["score_models"] = pSide,
            ["ratio_median"] = Math.Round(ratio, 3),
            ["ratio_min"] = Math.Round(ratioMin, 3),
            ["ratio_cpu_median"] = Math.Round(ratioCpu, 3),
            ["goal"] = goal,
            ["goal_met"] = ratio <= goal,
            ["same_params"] = sP == pP,
            ["params_difference"] = $"{(sP - pP) / (double)pP:+0.0%;-0.0%;0%}",
            ["flops_difference"] = $"{(sF - pF) / pF:+0.0%;-0.0%;0%}",
            ["peak_memory_ratio"] = Math.Round(sSide["peak_rss_mb"]!.GetValue<double>() / pSide["peak_rss_mb"]!.GetValue<double>(), 3),
        };
    }

    private static JsonObject Machine(string load0)
    {
        var flags = new JsonArray();
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags")) ?? "";
            var have = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            foreach (var f in new[] { "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile" })
                if (have.Contains(f)) flags.Add(f);
        }
        catch (IOException) { }
        return new JsonObject
        {
            ["cpu"] = CpuModel(), ["cores"] = System.Environment.ProcessorCount, ["cpu_flags"] = flags,
            ["load_before"] = load0, ["load_after"] = LoadAverage(),
        };
    }
}
