using static Scorpio.Bench.BenchMachine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Bench.Train;
using Scorpio.Networks;
using Scorpio.Torch;

// Training-step benchmark (issue 3): images/s of a DSM training step (VE sigma, Adam, batch 16, 64x64,
// float32, 2 threads) for (a) the NCSN++ CPU preset and (b) the CPU-sized DDPM U-Net, in Scorpio and in
// PyTorch (train_bench.py under /usr/bin/python3: the same layers on the same libtorch), in contiguous
// and channels-last layouts. Steps of the variants alternate in rounds, so a change of machine load
// hits all of them alike; the statistic is the median step time. Output: bench/results/train.json.
// Run from the repository root: dotnet run -c Release --project bench/train [-- options]

string outPath = "bench/results/train.json";
int threads = 2, size = 64, batch = 16, warmup = 2, rounds = 5, perRound = 1;
string python = "/usr/bin/python3";
bool withPython = true, paper = false;
string malloc = "none";   // none | scorpio | both: glibc malloc tuning (see MallocTuning)
string[] cases = ["ncsnpp-cpu", "ddpm-cpu"];
string[] formats = ["contiguous", "channels_last"];
string[] usualFormats = ["contiguous"];
for (int k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--out": outPath = args[++k]; break;
        case "--threads": threads = int.Parse(args[++k]); break;
        case "--size": size = int.Parse(args[++k]); break;
        case "--batch": batch = int.Parse(args[++k]); break;
        case "--warmup": warmup = int.Parse(args[++k]); break;
        case "--rounds": rounds = int.Parse(args[++k]); break;
        case "--per-round": perRound = int.Parse(args[++k]); break;
        case "--python": python = args[++k]; break;
        case "--no-python": withPython = false; break;
        case "--cases": cases = args[++k].Split(','); break;
        case "--formats": formats = args[++k].Split(','); break;
        case "--usual-formats": usualFormats = args[++k].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--paper": paper = true; break;
        case "--malloc-tuning": malloc = args[++k]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[k]}'. Options: --out PATH --threads N --size PX --batch N --warmup N " +
                "--rounds N --per-round N --python PATH --no-python --cases ncsnpp-cpu,ddpm-cpu --formats contiguous,channels_last " +
                "--usual-formats contiguous --malloc-tuning none|scorpio|both --paper");
            return 2;
    }
}

if (malloc is not ("none" or "scorpio" or "both")) { Console.Error.WriteLine("--malloc-tuning: none, scorpio or both"); return 2; }
if (malloc != "none" && !MallocTuning.Apply()) Console.Error.WriteLine("mallopt refused the malloc settings");
torch.NumThreads = threads;
string loadBefore = LoadAverage();
Console.Error.WriteLine($"libtorch {torch.Version}, {threads} threads, BLAS {torch.BlasLibrary}, load {loadBefore}");

NetworkConfig CaseConfig(string name) => name switch
{
    "ncsnpp-cpu" => NetworkPresets.CpuDefault(size, 1),
    "ddpm-cpu" => NetworkPresets.DdpmCpu(size, 1),
    "ncsnpp-paper" => NetworkPresets.NcsnppPaperFor(size, 1) with { Dropout = 0 },
    "ddpm-paper" => NetworkPresets.DdpmPaperFor(size, 1),
    _ => throw new ArgumentException($"unknown case '{name}' (ncsnpp-cpu, ddpm-cpu, ncsnpp-paper, ddpm-paper)"),
};

PythonWorker? worker = null;
if (withPython)
{
    var env = malloc == "both" ? new Dictionary<string, string> { ["GLIBC_TUNABLES"] = MallocTuning.Tunables } : null;
    try { worker = new PythonWorker(python, Path.Combine(RepoRoot(), "bench", "train", "train_bench.py"), threads, env); }
    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
    {
        Console.Error.WriteLine($"PyTorch comparison skipped: {e.Message}");
    }
}

var results = new JsonObject();
foreach (var name in cases)
{
    var baseConfig = CaseConfig(name);
    var variants = new List<(string Label, Func<int, List<(double Wall, double Cpu)>> Run, long Params)>();
    var trainers = new List<ScorpioTrainer>();
    foreach (var format in formats)
    {
        bool cl = format == "channels_last";
        var config = baseConfig with { ChannelsLast = cl };
        var tr = new ScorpioTrainer(config, batch);
        trainers.Add(tr);
        variants.Add(($"scorpio_{format}", n => tr.TimedSteps(n), tr.Parameters));
        if (worker is not null)
        {
            string id = $"{name}_{format}";
            // PascalCase keys, as NetworkConfig's properties (the mirror reads those names).
            long p = worker.Build(id, JsonSerializer.Serialize(config), size, batch, cl, "same");
            variants.Add(($"pytorch_{format}", n => worker.TimedSteps(id, n), p));
        }
    }
    if (worker is not null)
        foreach (var format in usualFormats)
        {
            bool cl = format == "channels_last";
            string id = $"{name}_usual_{format}";
            long p = worker.Build(id, JsonSerializer.Serialize(baseConfig with { ChannelsLast = cl }), size, batch, cl, "usual");
            variants.Add(($"pytorch_usual_{format}", n => worker.TimedSteps(id, n), p));
        }
    foreach (var v in variants) v.Run(warmup);
    var samples = variants.ToDictionary(v => v.Label, _ => new List<(double Wall, double Cpu)>());
    for (int r = 0; r < rounds; r++)
        foreach (var v in variants) samples[v.Label].AddRange(v.Run(perRound));
    foreach (var t in trainers) t.Dispose();

    var entry = new JsonObject { ["config"] = JsonNode.Parse(JsonSerializer.Serialize(baseConfig)) };
    var medians = new Dictionary<string, double>();
    var cpuMedians = new Dictionary<string, double>();
    foreach (var v in variants)
    {
        double med = Median(samples[v.Label].Select(s => s.Wall).ToList());
        double cpu = Median(samples[v.Label].Select(s => s.Cpu).ToList());
        medians[v.Label] = med;
        cpuMedians[v.Label] = cpu;
        entry[v.Label] = new JsonObject
        {
            ["median_s_per_step"] = Math.Round(med, 4),
            ["images_per_s"] = Math.Round(batch / med, 2),
            ["median_cpu_s_per_step"] = Math.Round(cpu, 4),
            ["params"] = v.Params,
            ["samples_s"] = new JsonArray(samples[v.Label].Select(s => (JsonNode)Math.Round(s.Wall, 4)).ToArray()),
            ["samples_cpu_s"] = new JsonArray(samples[v.Label].Select(s => (JsonNode)Math.Round(s.Cpu, 4)).ToArray()),
        };
        Console.Error.WriteLine($"{name} {v.Label}: {med:F3} s/step, {batch / med:F1} images/s, CPU {cpu:F3} s/step ({v.Params:N0} parameters)");
    }
    entry["ratio_time_scorpio_over_pytorch"] = Ratios(medians);
    entry["ratio_cpu_time_scorpio_over_pytorch"] = Ratios(cpuMedians);
    Console.Error.WriteLine($"{name} wall-time ratios Scorpio/PyTorch: {entry["ratio_time_scorpio_over_pytorch"]!.ToJsonString()}");
    Console.Error.WriteLine($"{name} CPU-time ratios Scorpio/PyTorch: {entry["ratio_cpu_time_scorpio_over_pytorch"]!.ToJsonString()}");
    results[name] = entry;
}
worker?.Dispose();

// The published sizes, for scale: one step each (Scorpio only) when asked; otherwise only their size.
var paperNote = new JsonObject
{
    ["ncsnpp_paper_params"] = Count(NetworkPresets.NcsnppPaperFor(size, 1)),
    ["ddpm_paper_params"] = Count(NetworkPresets.DdpmPaperFor(size, 1)),
    ["note"] = "The published sizes (NCSN++ nf 128 as score_models builds it, the ncsnpp-paper preset: 49.95 M parameters; astroddpm width 64: 29.8 M) are far too slow to train " +
        "on a 2-core CPU: ENGINE-NOTES measured 6.4 s per NCSN++ step at 32x32, batch 16 (PyTorch); at 64x64 the cost grows ~4x. Use a GPU.",
};
if (paper)
    foreach (var name in new[] { "ncsnpp-paper", "ddpm-paper" })
    {
        using var tr = new ScorpioTrainer(CaseConfig(name), batch);
        tr.TimedSteps(1);
        double s = tr.TimedSteps(1)[0].Wall;
        paperNote[name + "_s_per_step"] = Math.Round(s, 2);
        Console.Error.WriteLine($"{name}: {s:F1} s/step");
    }

var result = new JsonObject
{
    ["benchmark"] = "train",
    ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu_model"] = CpuModel(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["dotnet"] = Environment.Version.ToString(),
        ["libtorch"] = torch.Version,
        ["pytorch"] = worker?.TorchVersion,
        ["pytorch_ops_max_difference_float64"] = worker?.OpsMaxDifference,
        ["blas"] = torch.BlasLibrary,
        ["load_average_before"] = loadBefore,
        ["load_average_after"] = LoadAverage(),
    },
    ["threads"] = threads,
    ["setup"] = new JsonObject
    {
        ["step"] = "DSM with VE sigma = 0.01 (50/0.01)^t, t ~ U(0,1): loss = sum (net(x0 + sigma z, t) + z)^2 / 2B; zero_grad, backward, Adam (lr 1e-4) step",
        ["image"] = $"{batch} x 1 x {size} x {size}, float32",
        ["pytorch_optimizer"] = "torch.optim.Adam defaults (per-tensor loop on CPU in 1.13)",
        ["pytorch_variants"] = "pytorch_<layout>: train_bench.py with Scorpio's op formulations (FIR up = nearest + blur, 4x4 transposed conv = 3x3 conv + pixel shuffle); " +
            "pytorch_usual_<layout>: the same layers with F.conv_transpose2d, as a plain PyTorch port would write them (same function: see pytorch_ops_max_difference_float64)",
        ["scorpio_optimizer"] = "Scorpio.Torch.Optim.Adam (libtorch _foreach_ ops)",
        ["malloc_tuning"] = malloc,
        ["warmup_steps"] = warmup,
        ["rounds"] = rounds,
        ["steps_per_round"] = perRound,
        ["order"] = "variants alternate within each round",
        ["statistic"] = "median step time (wall clock) and median process CPU time per step (all threads; less sensitive to other processes on a shared machine)",
    },
    ["cases"] = results,
    ["paper_sizes"] = paperNote,
};
Console.WriteLine(WriteJson(outPath, result));
return 0;

// Scorpio/PyTorch per layout, and the best Scorpio layout against PyTorch's default and best ones.
JsonObject Ratios(Dictionary<string, double> medians)
{
    var ratios = new JsonObject();
    foreach (var f in formats)
        if (medians.TryGetValue($"scorpio_{f}", out var s) && medians.TryGetValue($"pytorch_{f}", out var p))
            ratios[f + "_same_ops"] = Math.Round(s / p, 3);
    foreach (var f in usualFormats)
        if (medians.TryGetValue($"scorpio_{f}", out var s) && medians.TryGetValue($"pytorch_usual_{f}", out var p))
            ratios[f + "_vs_usual_pytorch_ops"] = Math.Round(s / p, 3);
    var scorpioRuns = medians.Where(kv => kv.Key.StartsWith("scorpio_")).ToList();
    var pytorchRuns = medians.Where(kv => kv.Key.StartsWith("pytorch_")).ToList();
    if (scorpioRuns.Count > 0 && pytorchRuns.Count > 0)
    {
        var bestScorpio = scorpioRuns.MinBy(kv => kv.Value);
        var bestPy = pytorchRuns.MinBy(kv => kv.Value);
        if (medians.TryGetValue("pytorch_usual_contiguous", out var pyDefault))
            ratios["best_scorpio_over_plain_pytorch"] = Math.Round(bestScorpio.Value / pyDefault, 3);
        ratios["best_scorpio_over_best_pytorch"] = Math.Round(bestScorpio.Value / bestPy.Value, 3);
        ratios["best_scorpio"] = bestScorpio.Key;
        ratios["best_pytorch"] = bestPy.Key;
    }
    return ratios;
}

static long Count(NetworkConfig config)
{
    using var rng = new Generator(0);
    using var net = NetworkFactory.Create(config, rng);
    return net.ParameterCount;
}




