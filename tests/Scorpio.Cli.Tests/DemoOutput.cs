namespace Scorpio.Cli.Tests;

/// <summary>
/// One `scorpio demo --quick` run shared by the tests that read its output (the demo's own checks and the browser tests of
/// its four HTML reports: the demo's index, posterior, evaluate-posterior and evaluate), so the suite pays for it once.
/// </summary>
public sealed class DemoOutput
{
    public DemoOutput()
    {
        // SCORPIO_TEST_DEMO_OUTPUT=DIR reuses a finished `scorpio demo --quick --out DIR` (while working on the reports).
        if (Environment.GetEnvironmentVariable("SCORPIO_TEST_DEMO_OUTPUT") is { Length: > 0 } reuse && File.Exists(Path.Combine(reuse, "index.html")))
        {
            (Dir, ExitCode, Stdout, Stderr) = (reuse, 0, "", "");
            return;
        }
        Dir = Path.Combine(Scorpio.Tests.TestPaths.TempDir("demo"), "demo-output");
        (ExitCode, Stdout, Stderr) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["demo", "--quick", "--out", Dir, "--seed", "3"], timeoutSeconds: 900);
    }

    public string Dir { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }

    /// <summary>Fails the calling test with the demo's output when the demo failed.</summary>
    public void RequireSuccess() => Assert.True(ExitCode == 0, $"demo failed (exit {ExitCode})\n{Stdout}\n{Stderr}");

    public string P(string relative) => Path.Combine(Dir, relative);
}

/// <summary>The tests that share <see cref="DemoOutput"/>.</summary>
[CollectionDefinition("demo")]
public sealed class DemoCollection : ICollectionFixture<DemoOutput>;
