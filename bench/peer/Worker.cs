using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Scorpio.Bench.Peer;

/// <summary>
/// A benchmark side as a long-lived child process speaking one JSON object per line (build, run, peak, quit): the
/// Scorpio side is this program's `serve` mode, the score_models side peer_worker.py --serve. Both sides are separate
/// processes with the same environment, so their peak memory is measured alike.
/// </summary>
internal sealed class Worker : IDisposable
{
    private readonly LineProcess _process;

    public string Name { get; }
    public JsonObject Hello { get; }

    public Worker(string name, string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        var psi = new ProcessStartInfo(program);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        _process = new LineProcess($"{name} worker", psi);
        Hello = _process.Read();
    }

    /// <summary>Builds case <paramref name="id"/>; the reply has params, tensors and flops (forward, one batch).</summary>
    public JsonObject Build(string id, JsonObject spec)
    {
        var msg = (JsonObject)spec.DeepClone();
        msg["cmd"] = "build";
        msg["id"] = id;
        return Send(msg);
    }

    /// <summary>Wall-clock and process CPU seconds of each of <paramref name="n"/> iterations.</summary>
    public List<(double Wall, double Cpu)> Run(string id, int n)
    {
        var reply = Send(new JsonObject { ["cmd"] = "run", ["id"] = id, ["n"] = n });
        var wall = reply["times"]!.AsArray().Select(t => t!.GetValue<double>());
        var cpu = reply["cpu"]!.AsArray().Select(t => t!.GetValue<double>());
        return wall.Zip(cpu).ToList();
    }

    /// <summary>The process's peak resident memory (VmHWM), kB.</summary>
    public long PeakKb() => Send(new JsonObject { ["cmd"] = "peak" })["peak_rss_kb"]!.GetValue<long>();

    private JsonObject Send(JsonObject msg) => _process.Send(msg);

    public void Dispose() => _process.Dispose();
}
