using System.CommandLine;
using Scorpio.Torch;

namespace Scorpio.Cli;

/// <summary>Global settings of one command invocation: device and seed.</summary>
internal static class CliContext
{
    /// <summary>The device chosen by --device (auto: CUDA when available).</summary>
    public static Device Device(ParseResult pr)
    {
        string text = pr.GetValue(GlobalOptions.Device) ?? "auto";
        try { return Torch.Device.Parse(text); }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new Astro.UserInputException($"--device {text}: {(e is ArgumentException ? e.Message : "use auto, cpu, cuda or cuda:N")}");
        }
    }

    public static long Seed(ParseResult pr) => pr.GetValue(GlobalOptions.Seed);

    /// <summary>True when progress can be drawn (stderr is a terminal); else print plain lines.</summary>
    public static bool Interactive => !Console.IsErrorRedirected;
}
