using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Data;
using Scorpio.Models;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Torch.Optim;
using Scorpio.Training;

namespace Scorpio.Bench.Peer;

/// <summary>
/// The Scorpio side of the in-process cases (this program's `serve` mode): the library's own training step
/// (<see cref="TrainingStep"/>: DSM loss, Adam, EMA, as <c>scorpio train</c> runs it; no gradient clipping, as
/// score_models' fit defaults to) or a network evaluation in inference mode (as the samplers run it).
/// </summary>
internal static class ScorpioServe
{
    private sealed class Case : IDisposable
    {
        public required ScoreModel Model;
        public required Tensor X, T;
        public required Generator Rng;
        public TrainingStep? Step;
        public Adam? Adam;
        public Ema? Ema;

        public void Iterate()
        {
            using var scope = torch.NewDisposeScope();
            if (Step is not null) Step.Run(X, Rng);
            else using (torch.InferenceMode()) Model.SigmaScore(X, T);
        }

        public void Dispose()
        {
            Adam?.Dispose(); Ema?.Dispose(); Model.Dispose(); X.Dispose(); T.Dispose(); Rng.Dispose();
        }
    }

    public static int Run(int threads)
    {
        torch.NumThreads = threads;
        var cases = new Dictionary<string, Case>();
        void Reply(JsonObject o) { Console.Out.WriteLine(o.ToJsonString()); Console.Out.Flush(); }
        Reply(new JsonObject
        {
            ["torch_version"] = torch.Version, ["threads"] = torch.NumThreads, ["blas"] = torch.BlasLibrary,
            ["omp_wait_policy"] = torch.OpenMpWaitPolicy,
        });
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var msg = JsonNode.Parse(line)!.AsObject();
            switch (msg["cmd"]!.GetValue<string>())
            {
                case "quit":
                    foreach (var c in cases.Values) c.Dispose();
                    return 0;
                case "build":
                {
                    var c = Build(msg);
                    cases[msg["id"]!.GetValue<string>()] = c;
                    long flops;
                    using (var counter = FlopCounter.Start())
                    using (torch.InferenceMode())
                    using (torch.NewDisposeScope())
                    {
                        c.Model.SigmaScore(c.X, c.T);
                        flops = counter.Flops;
                    }
                    Reply(new JsonObject
                    {
                        ["params"] = c.Model.Network.ParameterCount, ["tensors"] = c.Model.Network.Parameters().Count(), ["flops"] = flops,
                    });
                    break;
                }
                case "run":
                {
                    var c = cases[msg["id"]!.GetValue<string>()];
                    int n = msg["n"]!.GetValue<int>();
                    var wall = new JsonArray();
                    var cpu = new JsonArray();
                    using var self = Process.GetCurrentProcess();
                    for (int k = 0; k < n; k++)
                    {
                        self.Refresh();
                        var c0 = self.TotalProcessorTime;
                        var sw = Stopwatch.StartNew();
                        c.Iterate();
                        wall.Add(sw.Elapsed.TotalSeconds);
                        self.Refresh();
                        cpu.Add((self.TotalProcessorTime - c0).TotalSeconds);
                    }
                    Reply(new JsonObject { ["times"] = wall, ["cpu"] = cpu });
                    break;
                }
                case "peak":
                    Reply(new JsonObject { ["peak_rss_kb"] = PeakRssKb() });
                    break;
                default:
                    throw new InvalidOperationException($"unknown command {line}");
            }
        }
        return 0;
    }

    private static Case Build(JsonObject msg)
    {
        int size = msg["size"]!.GetValue<int>(), batch = msg["batch"]!.GetValue<int>();
        // A preset by name, or a whole NetworkConfig (JSON, property names as in C#) for architecture experiments.
        var network = (msg["network"] is JsonObject custom
            ? System.Text.Json.JsonSerializer.Deserialize<NetworkConfig>(custom.ToJsonString())! with { ImageSize = size, InChannels = 1 }
            : NetworkPresets.ByName(msg["preset"]!.GetValue<string>(), size, 1)) with { Dropout = 0 };
        var config = new RunConfig
        {
            Seed = 0,
            Sde = new SdeConfig { Name = "ve", SigmaMin = msg["sigma_min"]!.GetValue<double>(), SigmaMax = msg["sigma_max"]!.GetValue<double>() },
            Network = network,
            Normalization = new NormalizationConfig { Kind = "none" },
            Data = new DataConfig { Shape = [1, size, size] },
        };
        var rng = new Generator(0);
        var model = ScoreModel.Create(config, Device.CPU, rng);
        var x = torch.Randn([batch, 1, size, size], rng).DetachFromDisposeScope();
        var t = (torch.Rand([batch], rng) * 0.99 + 0.01).DetachFromDisposeScope();
        var c = new Case { Model = model, X = x, T = t, Rng = rng };
        if (msg["kind"]!.GetValue<string>() == "train")
        {
            var training = new TrainingConfig();
            model.Network.Train();
            c.Adam = new Adam(model.Network.NamedParameters(), 1e-4, training.Beta1, training.Beta2, training.AdamEps);
            c.Ema = new Ema(model.Network, 0.9999, training.EmaWarmup);
            c.Step = new TrainingStep(model, TrainingLosses.Create("dsm", model.Parametrisation), c.Adam, c.Ema, gradClip: 0);
        }
        else model.Network.Eval();
        return c;
    }

    public static long PeakRssKb()
    {
        foreach (var l in File.ReadLines("/proc/self/status"))
            if (l.StartsWith("VmHWM:")) return long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return -1;
    }
}
