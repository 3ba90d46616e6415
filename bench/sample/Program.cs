using static Scorpio.Bench.BenchMachine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Data;
using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;

// Sampling benchmark (issue 4): for every sampler, seconds per network evaluation (NFE) and per image at 64x64 with the
// CPU-default NCSN++ (untrained: cost does not depend on the weights), VE SDE, float32, inference mode.
// Each sampler runs a short grid (a few NFE) on a small batch after two warm-up evaluations; the per-image cost at the
// sampler's default grid is extrapolated as (seconds per NFE / batch) x default NFE, which is exact up to the sampler's
// own tensor arithmetic (measured here as part of the per-NFE time). The bare network cost is reported too: on a loaded
// machine single timings vary by 2x or more (load averages are recorded). Output: bench/results/sample.json.
// Run from the repository root: dotnet run -c Release --project bench/sample [-- --threads N --batch B --points K --size PX --device D --rounds N]

string outPath = "bench/results/sample.json";
int threads = 2, batch = 4, points = 2, size = 64, rounds = 3;
string deviceName = "cpu";
for (int k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--out": outPath = args[++k]; break;
        case "--threads": threads = int.Parse(args[++k]); break;
        case "--batch": batch = int.Parse(args[++k]); break;
        case "--points": points = int.Parse(args[++k]); break;
        case "--size": size = int.Parse(args[++k]); break;
        case "--device": deviceName = args[++k]; break;
        case "--rounds": rounds = int.Parse(args[++k]); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[k]}'. Options: --out PATH --threads N --batch B --points K --size PX --device cpu|cuda --rounds N");
            return 2;
    }
}

torch.NumThreads = threads;
var device = Device.Parse(deviceName);
string loadBefore = LoadAverage();
Console.Error.WriteLine($"libtorch {torch.Version}, {threads} threads, device {device}, load {loadBefore}");

var config = new RunConfig
{
    Seed = 1,
    Sde = new SdeConfig { Name = "ve", SigmaMax = 50 },
    Network = NetworkPresets.CpuDefault(size, 1),
    Normalization = new NormalizationConfig { Kind = "none" },
    Data = new DataConfig { Shape = [1, size, size] },
};
using var initRng = new Generator(1);
using var model = ScoreModel.Create(config, device, initRng);
model.Network.Eval();
var sde = model.Sde;
long parameters = model.Network.ParameterCount;

void Sync() { if (device.Type == DeviceType.CUDA) torch.CudaSynchronize(); }

// Warm-up: two evaluations (allocator, kernels, JIT).
using (torch.InferenceMode())
using (var rng = new Generator(2, device))
using (var x = sde.PriorSample(model.SampleShape(batch), rng, device))
using Scorpio.Models;
    for (int k = 0; k < 2; k++) { using var s = model.Score(x, 0.5); Sync(); }

// Samplers run in rounds (each round: every sampler once, then one bare network evaluation), so a change of machine
// load hits all of them alike; the statistic is the median over rounds.
var perNfe = SamplerRegistry.All.ToDictionary(d => d.Name, _ => new List<double>());
var nfeCount = new Dictionary<string, long>();
var networkTimes = new List<double>();
for (int round = 0; round < rounds; round++)
{
    foreach (var definition in SamplerRegistry.All)
    {
        using var rng = new Generator(3, device);
        long calls = 0;
        var clock = Stopwatch.StartNew();
        using (torch.InferenceMode())
        using (var x = SamplerRegistry.Generate(definition, model, sde, model.SampleShape(batch), rng, new SamplerOptions { Steps = points }, s => calls = s.Nfe, device))
            Sync();
        perNfe[definition.Name].Add(clock.Elapsed.TotalSeconds / calls);
        nfeCount[definition.Name] = calls;
    }
    using (torch.InferenceMode())
    using (var rng = new Generator(2, device))
    using (var x = sde.PriorSample(model.SampleShape(batch), rng, device))
    {
        var sw = Stopwatch.StartNew();
        using (var s = model.Score(x, 0.5)) Sync();
        networkTimes.Add(sw.Elapsed.TotalSeconds);
    }
    Console.Error.WriteLine($"round {round + 1}/{rounds} done, load {LoadAverage()}");
}
double networkMedian = Median(networkTimes);

var results = new JsonArray();
foreach (var definition in SamplerRegistry.All)
{
    double median = Median(perNfe[definition.Name]);
    int defaultPoints = SamplerRegistry.Grid(definition, sde, new SamplerOptions()).Length;
    long defaultNfe = definition.Nfe(defaultPoints, new SamplerOptions());
    double perImage = median / batch * defaultNfe;
    Console.Error.WriteLine($"{definition.Name,-16} {median:F3} s/NFE (batch {batch}), {median / batch:F3} s/NFE/image; " +
        $"default {defaultPoints} points = {defaultNfe} NFE -> {perImage:F1} s/image");
    results.Add(new JsonObject
    {
        ["sampler"] = definition.Name,
        ["measured_grid_points"] = points,
        ["measured_nfe_per_round"] = nfeCount[definition.Name],
        ["seconds_per_nfe"] = Math.Round(median, 5),
        ["seconds_per_nfe_rounds"] = new JsonArray(perNfe[definition.Name].Select(t => (JsonNode)Math.Round(t, 5)).ToArray()),
        ["seconds_per_nfe_per_image"] = Math.Round(median / batch, 5),
        ["default_grid"] = SamplerRegistry.GridKind(definition, sde, new SamplerOptions()),
        ["default_grid_points"] = defaultPoints,
        ["default_nfe"] = defaultNfe,
        ["seconds_per_image_at_default"] = Math.Round(perImage, 3),
    });
}
Console.Error.WriteLine($"bare network evaluation (batch {batch}): median {networkMedian:F3} s over {rounds} rounds");

var json = new JsonObject
{
    ["benchmark"] = "sample",
    ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["cpu_model"] = CpuModel(),
        ["dotnet"] = Environment.Version.ToString(),
        ["libtorch"] = torch.Version,
        ["device"] = device.ToString(),
        ["load_average_before"] = loadBefore,
        ["load_average_after"] = LoadAverage(),
    },
    ["threads"] = threads,
    ["config"] = new JsonObject
    {
        ["network"] = $"ncsnpp cpu-default (nf {config.Network.Width}, mult [{string.Join(",", config.Network.ChannelMult)}], attention at {string.Join(",", config.Network.AttentionResolutions)} px), untrained",
        ["parameters"] = parameters,
        ["image"] = $"1x{size}x{size}",
        ["batch"] = batch,
        ["sde"] = sde.Name,
        ["dtype"] = "float32",
        ["mode"] = "inference",
        ["rounds"] = rounds,
        ["statistic"] = "median over rounds; each round runs every sampler once, then one bare network evaluation",
        ["note"] = "seconds_per_image_at_default = seconds_per_nfe_per_image x default_nfe (extrapolated from a short grid)",
        ["scorpio_version"] = RunConfig.CurrentVersion,
    },
    ["network_seconds_per_nfe_median"] = Math.Round(networkMedian, 5),
    ["network_seconds_per_nfe_rounds"] = new JsonArray(networkTimes.Select(t => (JsonNode)Math.Round(t, 5)).ToArray()),
    ["samplers"] = results,
};
WriteJson(outPath, json);
return 0;




