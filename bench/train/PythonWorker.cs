using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scorpio.Bench.Train;

/// <summary>
/// train_bench.py --serve as a long-lived child process: builds PyTorch trainers and runs timed
/// steps on request, so PyTorch and Scorpio steps can alternate on a machine whose load varies.
/// </summary>
internal sealed class PythonWorker : IDisposable
{
    private readonly LineProcess _process;

    public string TorchVersion { get; }
    /// <summary>Largest difference between the "same" and "usual" op formulations on a float64 probe.</summary>
    public double OpsMaxDifference { get; }

    /// <param name="environment">Extra environment variables for the child (e.g. GLIBC_TUNABLES).</param>
    public PythonWorker(string python, string script, int threads, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(python, [script, "--serve", "--threads", threads.ToString()]);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        _process = new LineProcess("train_bench.py", psi);
        var hello = _process.Read();
        TorchVersion = hello["torch_version"]?.GetValue<string>() ?? "?";
        OpsMaxDifference = hello["ops_max_difference"]?.GetValue<double>() ?? double.NaN;
    }

    /// <summary>Builds a trainer named <paramref name="id"/>; returns its parameter count.</summary>
    /// <param name="ops">"same" (Scorpio's op formulations) or "usual" (F.conv_transpose2d for transposed convolutions).</param>
    public long Build(string id, string configJson, int size, int batch, bool channelsLast, string ops)
    {
        var msg = new JsonObject
        {
            ["cmd"] = "build", ["id"] = id, ["config"] = JsonNode.Parse(configJson),
            ["size"] = size, ["batch"] = batch, ["channels_last"] = channelsLast, ["ops"] = ops,
        };
        return Send(msg)["params"]!.GetValue<long>();
    }

    /// <summary>Wall-clock and process CPU seconds of <paramref name="n"/> steps.</summary>
    public List<(double Wall, double Cpu)> TimedSteps(string id, int n)
    {
        var reply = Send(new JsonObject { ["cmd"] = "steps", ["id"] = id, ["n"] = n });
        var wall = reply["times"]!.AsArray().Select(t => t!.GetValue<double>());
        var cpu = reply["cpu"]!.AsArray().Select(t => t!.GetValue<double>());
        return wall.Zip(cpu).ToList();
    }

    private JsonObject Send(JsonObject msg) => _process.Send(msg);

    public void Dispose() => _process.Dispose();
}
