using System.Diagnostics;

namespace Scorpio.Cli.Tests;

/// <summary>Runs the built `scorpio` (scorpio.dll beside the tests) as a separate process.</summary>
internal static class CliProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, IReadOnlyList<string> args, int timeoutSeconds = 600)
    {
        using var p = Start(workingDirectory, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"scorpio {string.Join(" ", args)} did not finish in {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts scorpio with stdout and stderr redirected and <paramref name="environment"/> added to its environment.</summary>
    public static Process Start(string workingDirectory, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["SCORPIO_NATIVE"] = FindNative();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    // The CLI's own build output (with its runtimeconfig), in the same configuration as these tests.
    private static string CliDll()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string configuration = baseDir.Parent?.Name ?? "Release";
        var dll = Path.Combine(Scorpio.Tests.TestPaths.RepoRoot, "src", "Scorpio.Cli", "bin", configuration, baseDir.Name, "scorpio.dll");
        return File.Exists(dll) ? dll : Path.Combine(AppContext.BaseDirectory, "scorpio.dll");
    }

    // SCORPIO_NATIVE first, as the CLI itself resolves the shim (Native.Resolve), then the copies a build leaves.
    private static string FindNative()
    {
        if (Environment.GetEnvironmentVariable("SCORPIO_NATIVE") is { Length: > 0 } given) return given;
        var local = Path.Combine(AppContext.BaseDirectory, "libscorpio_torch.so");
        return File.Exists(local) ? local : Path.Combine(Scorpio.Tests.TestPaths.RepoRoot, "native", "build", "libscorpio_torch.so");
    }
}
