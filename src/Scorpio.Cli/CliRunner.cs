using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Torch;

namespace Scorpio.Cli;

/// <summary>
/// Runs a parsed command line: applies global settings and turns errors into one clear line. Problems with the input
/// (files, option values, settings the library rejects, a full disk) print one line <c>error: ...</c> and exit with 2; a library setting error
/// (<see cref="InvalidSettingException"/>) is printed with the command's flag for that parameter (<see cref="ParameterFlags"/>).
/// Anything else, an <see cref="ArgumentException"/> included, is a bug in Scorpio: <c>internal error: ...</c>, exit 70.
/// SCORPIO_DEBUG=1 adds the stack trace.
/// </summary>
internal static class CliRunner
{
    /// <summary>Exit code of a user error (bad file, option or setting).</summary>
    public const int UserError = 2;
    /// <summary>Exit code of an internal error (a bug; sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    public static int Run(ParseResult parsed)
    {
        if (parsed.Errors.Count > 0)
        {
            // One line, not System.CommandLine's list of errors followed by the whole help text.
            Console.Error.WriteLine("error: " + MessageText.OneLine(string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.')).Distinct()))
                + $" (see `{CommandPath(parsed.CommandResult)} --help`)");
            return UserError;
        }
        try
        {
            ApplyThreads(parsed.GetValue(GlobalOptions.Threads));
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e) when (IsUserError(Unwrap(e)))
        {
            var error = Unwrap(e);
            string message = error is InvalidSettingException setting
                ? setting.MessageFor(ParameterFlags.FlagFor(parsed.CommandResult.Command, setting.Parameter))
                : DiskFull.Is(error) && error is not DiskFullException ? "the disk is full: " + error.Message + "; free space there or write to another folder"
                : error.Message;
            Console.Error.WriteLine("error: " + MessageText.OneLine(message));
            Debug(error);
            return UserError;
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            Console.Error.WriteLine($"internal error: {error.GetType().Name}: {MessageText.OneLine(error.Message, 300)} " +
                "(a bug in Scorpio: please report it with the command line and the stack trace SCORPIO_DEBUG=1 prints)");
            Debug(error);
            return InternalError;
        }
    }

    /// <summary>
    /// Errors caused by what the user gave or by the machine (missing files, unreadable data, libtorch refusing an
    /// operation or not installed, a full disk, no permission), as opposed to bugs.
    /// </summary>
    internal static bool IsUserError(Exception e) =>
        e is UserInputException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or TorchException
            or IOException or UnauthorizedAccessException or DllNotFoundException or Scorpio.Torch.Distributed.DistributedException;

    private static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "scorpio" : r.Command.Name);
        return names.Count == 0 ? "scorpio" : string.Join(" ", names);
    }

    // SCORPIO_DEBUG=1 adds the stack trace, for bug reports.
    private static void Debug(Exception e)
    {
        if (Environment.GetEnvironmentVariable("SCORPIO_DEBUG") == "1") Console.Error.WriteLine(e);
    }

    // A failed static constructor (e.g. the native library missing) reports its cause.
    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException or TypeInitializationException && e.InnerException != null ? Unwrap(e.InnerException) : e;

    // libtorch defaults to one thread in containers; use every core unless told otherwise.
    // Commands that never touch libtorch still work when the native library is absent.
    private static void ApplyThreads(int threads)
    {
        try { torch.NumThreads = threads; }
        catch (DllNotFoundException) { }
        catch (TypeInitializationException) { }
    }
}
