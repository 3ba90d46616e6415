using static Scorpio.Bench.BenchMachine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Bench.Engine;
using Scorpio.Torch;

// Engine benchmark (issue 2): (a) per-op overhead of a 1-element add through the boxed dispatcher
// call, (b) forward+backward of a 4-block conv/GroupNorm/SiLU residual stack (batch 16, 64 channels,
// 64x64, float32; contiguous and channels-last), (c) the same in PyTorch on the same libtorch
// (engine_bench.py under /usr/bin/python3), reported as Scorpio/PyTorch ratios. 2 threads for both.
// Scorpio and PyTorch measurements alternate (A B B A ...) so machine load hits both alike.
//
// Run: dotnet run -c Release --project bench/engine -- --out bench/results/engine.json

string outPath = "bench/results/engine.json";
int threads = 2, iters = 7, warmup = 2, opCalls = 100_000, opRounds = 5;
string python = "/usr/bin/python3";
bool withPyTorch = true;
for (int k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--out": outPath = args[++k]; break;
        case "--threads": threads = int.Parse(args[++k]); break;
        case "--iters": iters = int.Parse(args[++k]); break;
        case "--warmup": warmup = int.Parse(args[++k]); break;
        case "--op-calls": opCalls = int.Parse(args[++k]); break;
        case "--python": python = args[++k]; break;
        case "--no-pytorch": withPyTorch = false; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[k]}'. Options: --out PATH --threads N --iters N --warmup N --op-calls N --python PATH --no-pytorch");
            return 2;
    }
}

torch.NumThreads = threads;
Console.Error.WriteLine($"libtorch {torch.Version}, {threads} threads, BLAS {torch.BlasLibrary}");
PyTorchPeer? peer = null;
if (withPyTorch)
{
    string script = Path.Combine(RepoRoot(), "bench", "engine", "engine_bench.py");
    try { peer = new PyTorchPeer(python, script, threads); }
    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
    {
        Console.Error.WriteLine($"PyTorch comparison skipped: {e.Message}");
    }
}
double load0 = LoadAverage1();

// (a) per-op overhead: result allocation, boxed call, wrapper and Dispose included; opRounds
// alternating rounds of opCalls / opRounds calls each, mean over all calls.
var opScorpio = new List<double>();
var opTorch = new List<double>();
using (var a = torch.Ones([1]))
using (var b = torch.Ones([1]))
{
    for (int k = 0; k < 10_000; k++) { using var c = a.Add(b); }
    int perRound = opCalls / opRounds;
    for (int r = 0; r < opRounds; r++)
    {
        var sw = Stopwatch.StartNew();
        for (int k = 0; k < perRound; k++) { using var c = a.Add(b); }
        opScorpio.Add(sw.Elapsed.TotalMicroseconds / perRound);
        if (peer is not null) opTorch.Add(peer.Send($"op {perRound}")["us"]!.GetValue<double>());
    }
}
var scorpio = new JsonObject { ["op_overhead_us"] = Math.Round(opScorpio.Average(), 4) };
var pytorch = peer is null ? null : new JsonObject { ["torch"] = peer.Hello["torch"]?.GetValue<string>(), ["op_overhead_us"] = Math.Round(opTorch.Average(), 4) };
Console.Error.WriteLine($"1-element add: scorpio {opScorpio.Average():F3} us, pytorch {(opTorch.Count > 0 ? opTorch.Average().ToString("F3") : "-")} us");

// (b), (c) residual stack, both memory formats, iterations alternating between the engines.
foreach (var (label, format, name) in new[] { ("resstack", MemoryFormat.Contiguous, "contiguous"), ("resstack_channels_last", MemoryFormat.ChannelsLast, "channels_last") })
{
    peer?.Send($"setup {name}");
    using var rng = new Generator(0);
    using var net = new ResStack(4, 64, rng, format);
    using var xr = torch.Randn([16, 64, 64, 64], rng);
    using var x = xr.Contiguous(format);
    var ts = new List<double>();
    var tp = new List<double>();
    var cs = new List<double>();
    var cp = new List<double>();
    for (int k = 0; k < warmup + iters; k++)
    {
        // Alternate who goes first so neither engine always follows the other's cache state.
        (double Wall, double Cpu) s, p;
        if (k % 2 == 0) { s = Time(() => net.Step(x)); p = PeerStep(name); }
        else { p = PeerStep(name); s = Time(() => net.Step(x)); }
        if (k < warmup) continue;
        ts.Add(s.Wall); cs.Add(s.Cpu);
        if (peer is not null) { tp.Add(p.Wall); cp.Add(p.Cpu); }
    }
    scorpio[label + "_s"] = Math.Round(Median(ts), 5);
    scorpio[label + "_samples_s"] = Samples(ts);
    scorpio[label + "_cpu_s"] = Math.Round(Median(cs), 5);
    if (pytorch is not null)
    {
        pytorch[label + "_s"] = Math.Round(Median(tp), 5);
        pytorch[label + "_samples_s"] = Samples(tp);
        pytorch[label + "_cpu_s"] = Math.Round(Median(cp), 5);
    }
    Console.Error.WriteLine($"{label}: scorpio {Median(ts):F4} s/iter, pytorch {(tp.Count > 0 ? Median(tp).ToString("F4") : "-")} s/iter (medians of {iters})");
}
peer?.Dispose();

var ratios = new JsonObject();
if (pytorch is not null)
    foreach (var key in new[] { "op_overhead_us", "resstack_s", "resstack_channels_last_s", "resstack_cpu_s", "resstack_channels_last_cpu_s" })
        if (pytorch[key] is JsonNode pv && pv.GetValue<double>() > 0)
            ratios[key] = Math.Round(scorpio[key]!.GetValue<double>() / pv.GetValue<double>(), 4);

var result = new JsonObject
{
    ["benchmark"] = "engine",
    ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu_model"] = CpuModel(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["dotnet"] = Environment.Version.ToString(),
        ["libtorch"] = torch.Version,
        ["blas"] = torch.BlasLibrary,
        ["cuda_available"] = torch.CudaIsAvailable,
        ["load_average_1min_before_after"] = new JsonArray(load0, LoadAverage1()),
    },
    ["threads"] = threads,
    ["config"] = new JsonObject
    {
        ["op_calls"] = opCalls,
        ["resstack"] = "4 x [conv3x3 -> GroupNorm(32) -> SiLU -> conv3x3 -> +x], batch 16, 64 ch, 64x64, float32, fwd+bwd of mean(out^2)",
        ["warmup"] = warmup,
        ["iters"] = iters,
        ["statistic"] = "median; Scorpio and PyTorch iterations alternate; *_cpu_s = process CPU seconds per iteration",
    },
    ["scorpio"] = scorpio,
    ["pytorch"] = pytorch,
    ["ratio_scorpio_over_pytorch"] = ratios,
};
Console.WriteLine(WriteJson(outPath, result));
return 0;

(double Wall, double Cpu) PeerStep(string name)
{
    if (peer is null) return (0, 0);
    var r = peer.Send($"step {name}");
    return (r["s"]!.GetValue<double>(), r["cpu_s"]!.GetValue<double>());
}

// Wall seconds and this process's CPU seconds (all threads): CPU time is less sensitive to other load.
static (double Wall, double Cpu) Time(Action f)
{
    var proc = Process.GetCurrentProcess();
    var c0 = proc.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    f();
    double wall = sw.Elapsed.TotalSeconds;
    proc.Refresh();
    return (wall, (proc.TotalProcessorTime - c0).TotalSeconds);
}

static JsonArray Samples(List<double> xs) => new(xs.Select(t => (JsonNode)Math.Round(t, 5)).ToArray());




