using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Cli;

/// <summary>
/// Runs a parsed command line: applies global settings and turns errors into one clear line. Problems with the input
/// (files, option values, settings the library rejects) print <c>error: ...</c> and exit with 2; a library setting error
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
                : error.Message;
            Console.Error.WriteLine("error: " + message);
            Debug(error);
            return UserError;
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            Console.Error.WriteLine($"internal error: {error.GetType().Name}: {error.Message}");
            Console.Error.WriteLine("this is a bug in Scorpio: please report this with SCORPIO_DEBUG=1 output (the command line and the stack trace it prints)");
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
