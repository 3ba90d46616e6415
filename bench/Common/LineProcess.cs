using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Scorpio.Bench;

/// <summary>
/// A child process that answers one JSON object per line on stdout for each JSON line written to its stdin; benchmarks
/// keep one alive so their sides' iterations can alternate. Disposing sends {"cmd": "quit"} and waits for the exit.
/// </summary>
internal sealed class LineProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _name;

    public LineProcess(string name, ProcessStartInfo psi)
    {
        _name = name;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
    }

    public JsonObject Send(JsonObject msg)
    {
        _process.StandardInput.WriteLine(msg.ToJsonString());
        _process.StandardInput.Flush();
        return Read();
    }

    public JsonObject Read()
    {
        var line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"{_name} exited (code {(_process.HasExited ? _process.ExitCode : -1)})");
        return JsonNode.Parse(line)!.AsObject();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"cmd\": \"quit\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(30_000)) _process.Kill();
            }
        }
        catch (IOException) { }
        _process.Dispose();
    }
}
