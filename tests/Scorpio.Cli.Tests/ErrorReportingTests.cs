using System.CommandLine;
using Scorpio.Astro;

namespace Scorpio.Cli.Tests;

/// <summary>
/// How the CLI reports failures: a library setting error names the command's flag, user errors print <c>error:</c> with exit
/// code 2, and anything else (an <see cref="ArgumentException"/> included) is a bug: <c>internal error:</c>, exit code 70.
/// </summary>
public class ErrorReportingTests
{
    // Runs `scorpio boom ...` in this process, with the command's action throwing what it is given.
    private static (int Code, string Stderr) RunThrowing(Exception error, Action<Command>? setUp = null)
    {
        var root = ScorpioCli.BuildRoot();
        var boom = new Command("boom");
        setUp?.Invoke(boom);
        boom.SetAction(new Func<ParseResult, int>(_ => throw error));
        root.Subcommands.Add(boom);
        var stderr = new StringWriter();
        var old = Console.Error;
        Console.SetError(stderr);
        try { return (CliRunner.Run(root.Parse(["boom"])), stderr.ToString()); }
        finally { Console.SetError(old); }
    }

    [Fact]
    public void AnArgumentExceptionIsAnInternalErrorWithItsOwnExitCode()
    {
        var (code, stderr) = RunThrowing(new ArgumentException("index 3 is outside the batch"));
        Assert.Equal(CliRunner.InternalError, code);
        Assert.StartsWith("internal error:", stderr);
        Assert.Contains("index 3 is outside the batch", stderr);
        Assert.Contains("SCORPIO_DEBUG=1", stderr);
        Assert.DoesNotContain("error: index", stderr);
        Assert.Equal(CliRunner.InternalError, RunThrowing(new NullReferenceException()).Code);
    }

    [Fact]
    public void UserErrorsPrintErrorAndExitWith2()
    {
        foreach (var e in new Exception[] { new UserInputException("bad value"), new FileNotFoundException("gone.fits"), new InvalidDataException("corrupt") })
        {
            var (code, stderr) = RunThrowing(e);
            Assert.Equal(2, code);
            Assert.StartsWith("error: ", stderr);
        }
    }

    [Fact]
    public void ASettingErrorNamesTheCommandsFlag()
    {
        // Declared map first, then the kebab-case flag of the same name, then the bare parameter.
        void Options(Command c)
        {
            var n = new Option<int>("--n");
            c.Options.Add(n);
            c.Options.Add(new Option<int>("--batch-size"));
            c.MapParameters(("count", n));
        }
        Assert.Equal("error: --n must be at least 1 (got 0)", RunThrowing(new InvalidSettingException("count", "must be at least 1 (got 0)"), Options).Stderr.Trim());
        Assert.Equal("error: --batch-size must be at least 1", RunThrowing(new InvalidSettingException("batchSize", "must be at least 1"), Options).Stderr.Trim());
        Assert.Equal("error: --seed is odd", RunThrowing(new InvalidSettingException("seed", "is odd"), Options).Stderr.Trim());
        Assert.Equal("error: network is odd", RunThrowing(new InvalidSettingException("network", "is odd"), Options).Stderr.Trim());
        Assert.Equal(2, RunThrowing(new InvalidSettingException("count", "x"), Options).Code);
    }

    [Theory]
    [InlineData("sample", "--n", "0", "error: --n must be at least 1 (got 0)")]
    [InlineData("sample", "--batch", "0", "error: --batch must be at least 1 (got 0)")]
    [InlineData("loglik", "--batch", "0", "error: --batch must be at least 1 (got 0)")]
    [InlineData("loglik", "--quantum", "-1", "error: --quantum must be positive (got -1)")]
    [InlineData("loglik", "--n", "0", "error: --n must be at least 1 (got 0)")]
    public void LibrarySettingsAreCheckedBeforeTheModelLoadsAndNameTheirFlag(string command, string flag, string value, string expected)
    {
        // The model does not exist: the settings are checked first.
        var args = command == "sample"
            ? new List<string> { "sample", "--model", "no-model", "--out", "no.fits" }
            : new List<string> { "loglik", "--model", "no-model", "--data", "no.fits" };
        if (command == "sample" && flag != "--n") args.AddRange(["--n", "2"]);
        args.AddRange([flag, value]);
        var (rc, _, stderr) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, args);
        Assert.Equal(2, rc);
        Assert.Equal(expected, stderr.Trim());
    }
}
