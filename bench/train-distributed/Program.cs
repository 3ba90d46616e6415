using static Scorpio.Bench.BenchMachine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

// Data-parallel training benchmark (issue 16): images/s of `scorpio train` (the CPU preset, NCSN++ on 32x32 simulated
// galaxies, global batch 16) with 1 process and with 2 processes (--nproc 2: Gloo on 127.0.0.1, batch 8 each), every
// process on 1 thread, gradients in one flat bucket or in 0.25 MB buckets. Throughput comes from the run's own loss.csv
// (global images over the cumulative seconds of the timed steps, after the warm-up), so process start-up and data
// loading are excluded. The variants alternate within each round; the statistic is the median over rounds. Scaling
// efficiency = images/s with 2 processes / (2 x images/s with 1). Output: bench/results/train-distributed.json.
// Run from the repository root: dotnet run -c Release --project bench/train-distributed [-- options]

string outPath = "bench/results/train-distributed.json";
int size = 32, batch = 16, warmup = 3, steps = 15, rounds = 3, galaxies = 256;
string preset = "cpu";
for (int k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--out": outPath = args[++k]; break;
        case "--size": size = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--batch": batch = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--preset": preset = args[++k]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[k]}'. Options: --out PATH --size PX --batch N --warmup N --steps N --rounds N --preset cpu|tiny");
            return 2;
    }
}

string root = RepoRoot();
string dll = Path.Combine(root, "src", "Scorpio.Cli", "bin", "Release", "net10.0", "scorpio.dll");
if (!File.Exists(dll)) { Console.Error.WriteLine($"{dll} not found: run `make build` first"); return 1; }
string work = Directory.CreateTempSubdirectory("scorpio-bench-ddp").FullName;
string loadBefore = LoadAverage();

(int Code, string Err) Scorpio(params string[] a)
{
    var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = work };
    psi.ArgumentList.Add(dll);
    foreach (var x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    _ = p.StandardOutput.ReadToEndAsync();
    p.WaitForExit();
    return (p.ExitCode, err.Result);
}

string data = Path.Combine(work, "galaxies.fits");
var sim = Scorpio("simulate", "galaxies", "--n", galaxies.ToString(CultureInfo.InvariantCulture), "--size", size.ToString(CultureInfo.InvariantCulture), "--out", data, "--seed", "1");
if (sim.Code != 0) { Console.Error.WriteLine(sim.Err); return 1; }

var variants = new (string Name, int Processes, double BucketMb)[] { ("1_process", 1, 0), ("2_processes_flat", 2, 0), ("2_processes_buckets_0.25mb", 2, 0.25) };
var rates = variants.ToDictionary(v => v.Name, _ => new List<double>());
var reduceMs = variants.ToDictionary(v => v.Name, _ => new List<double>());
var cpuMs = variants.ToDictionary(v => v.Name, _ => new List<double>());
string? parameters = null;
for (int round = 0; round < rounds; round++)
    foreach (var (name, processes, bucket) in variants)
    {
        string run = Path.Combine(work, $"{name}-{round}");
        var a = new List<string> { "train", "--data", data, "--out", run, "--preset", preset, "--batch", batch.ToString(CultureInfo.InvariantCulture),
            "--steps", (warmup + steps).ToString(CultureInfo.InvariantCulture), "--threads", "1", "--checkpoint-every", "100000" };
        if (processes > 1) a.AddRange(["--nproc", processes.ToString(CultureInfo.InvariantCulture), "--bucket-mb", bucket.ToString(CultureInfo.InvariantCulture)]);
        var (code, err) = Scorpio([.. a]);
        if (code != 0) { Console.Error.WriteLine($"{name} failed: {err}"); return 1; }
        parameters ??= err.Split('\n').FirstOrDefault(l => l.Contains(" parameters,"))?.Trim();
        // loss.csv: step,loss,lr,images_per_s,seconds (cumulative): images of the timed steps over their seconds.
        var rows = File.ReadAllLines(Path.Combine(run, "loss.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        double t0 = double.Parse(rows[warmup - 1][4], CultureInfo.InvariantCulture), t1 = double.Parse(rows[^1][4], CultureInfo.InvariantCulture);
        double rate = steps * (double)batch / (t1 - t0);
        rates[name].Add(rate);
        // Rank 0's "cost: C ms of CPU per step ...; allreduce: X ms per step" (the collective, waiting for the slower rank included).
        if (err.Split('\n').FirstOrDefault(l => l.Contains("cost: ")) is { } line)
        {
            double After(string key) => double.Parse(line[(line.IndexOf(key) + key.Length)..].Split(' ')[0], CultureInfo.InvariantCulture);
            cpuMs[name].Add(After("cost: "));
            if (line.Contains("allreduce: ")) reduceMs[name].Add(After("allreduce: "));
        }
        Console.Error.WriteLine($"round {round + 1}/{rounds} {name}: {rate:F1} images/s");
        Directory.Delete(run, true);
    }
Directory.Delete(work, true);

double one = Median(rates["1_process"]);
// CPU seconds per image (every process counted; rank 0's CPU per step x processes / global batch): less sensitive to the
// other jobs on a shared machine than wall time, but blind to time spent waiting.
double CpuPerImage(string name, int processes) => Median(cpuMs[name]) / 1000 * processes / batch;
double oneCpu = CpuPerImage("1_process", 1);
var results = new JsonObject();
foreach (var (name, processes, bucket) in variants)
{
    double m = Median(rates[name]);
    results[name] = new JsonObject
    {
        ["processes"] = processes,
        ["threads_per_process"] = 1,
        ["bucket_mb"] = bucket == 0 ? "one flat bucket" : bucket,
        ["images_per_s"] = Math.Round(m, 2),
        ["images_per_s_per_process"] = Math.Round(m / processes, 2),
        ["rounds"] = new JsonArray(rates[name].Select(r => (JsonNode)Math.Round(r, 2)).ToArray()),
        ["scaling_efficiency"] = processes > 1 ? Math.Round(m / (processes * one), 3) : null,
        ["allreduce_ms_per_step"] = processes > 1 ? Math.Round(Median(reduceMs[name]), 1) : null,
        ["cpu_seconds_per_image"] = Math.Round(CpuPerImage(name, processes), 4),
        ["cpu_efficiency"] = processes > 1 ? Math.Round(oneCpu / CpuPerImage(name, processes), 3) : null,
    };
}
WriteJson(outPath, new JsonObject
{
    ["benchmark"] = "train-distributed",
    ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu_model"] = CpuModel(),
        ["load_average_before"] = loadBefore,
        ["load_average_after"] = LoadAverage(),
    },
    ["setup"] = new JsonObject
    {
        ["command"] = $"scorpio train --preset {preset} --batch {batch} --threads 1 [--nproc 2 --bucket-mb X] on {galaxies} simulated {size}x{size} galaxies",
        ["network"] = parameters,
        ["backend"] = "gloo on 127.0.0.1 (no GPU was lent: NCCL not run)",
        ["global_batch"] = batch,
        ["warmup_steps"] = warmup,
        ["timed_steps"] = steps,
        ["rounds"] = rounds,
        ["allreduce_ms_per_step"] = "rank 0's time in the step's collective(s) (gradients, loss, stop votes), waiting for the slower rank included",
        ["cpu_seconds_per_image"] = "rank 0's process CPU time per step (its own report) x processes / global batch; cpu_efficiency = that of 1 process / that of N",
        ["statistic"] = "median over rounds of (timed steps x global batch) / their seconds in loss.csv; scaling efficiency = images/s / (processes x images/s of 1 process)",
    },
    ["results"] = results,
});
return 0;
