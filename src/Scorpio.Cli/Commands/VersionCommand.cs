using System.CommandLine;
using System.Reflection;
using Scorpio.Torch;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio version`: Scorpio's version and the compute stack it runs on (libtorch version,
/// BLAS library, CPU threads, CUDA), the first things to quote in a bug report or benchmark.
/// </summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Scorpio's version, libtorch version, BLAS library, CPU threads and CUDA devices.");
        command.SetAction(parsed =>
        {
            Write(Console.Out, parsed);
            return 0;
        });
        return command;
    }

    private static void Write(TextWriter o, ParseResult parsed)
    {
        var asm = typeof(VersionCommand).Assembly;
        var version = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? asm.GetName().Version?.ToString() ?? "?";
        o.WriteLine($"scorpio {version}");
        o.WriteLine($".NET     {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.OSDescription})");
        try
        {
            o.WriteLine($"libtorch {torch.Version}");
            o.WriteLine($"BLAS     {torch.BlasLibrary}");
            o.WriteLine($"threads  {torch.NumThreads} (of {Environment.ProcessorCount} cores), {torch.OpenMpWaitPolicy}");
            int cuda = torch.CudaIsAvailable ? torch.CudaDeviceCount : 0;
            o.WriteLine(cuda > 0 ? $"CUDA     available, {cuda} device(s)" : "CUDA     not available");
            static string Has(string backend) => Torch.Distributed.ProcessGroup.IsAvailable(backend) ? "yes" : "no";
            o.WriteLine($"c10d     gloo {Has("gloo")}, nccl {Has("nccl")} (data-parallel training, docs/scale-out.md)");
            string device;
            try { device = CliContext.Device(parsed).ToString(); }
            catch (Astro.UserInputException e) { device = "invalid: " + e.Message; }
            o.WriteLine($"device   {device}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            // Still useful without the native library: say what is missing instead of crashing.
            o.WriteLine($"libtorch not loaded: {(e.InnerException ?? e).Message}");
        }
    }
}
