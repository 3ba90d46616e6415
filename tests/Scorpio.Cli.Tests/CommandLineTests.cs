namespace Scorpio.Cli.Tests;

/// <summary>The command surface: help, version and clear errors with exit code 2.</summary>
public class CommandLineTests
{
    [Fact]
    public void HelpListsTheMainCommands()
    {
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["--help"]);
        Assert.Equal(0, rc);
        foreach (var c in new[] { "version", "demo", "train", "sample", "posterior", "inpaint", "transfer", "train-noise", "simulate", "data", "evaluate" })
            Assert.Contains(c, stdout);
    }

    [Fact]
    public void VersionReportsLibtorchAndBlas()
    {
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["version"]);
        Assert.Equal(0, rc);
        Assert.Contains("libtorch", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("BLAS", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMissingInputFileIsAClearErrorWithExitCode2()
    {
        var (rc, _, stderr) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["data", "stats", "no-such-file.fits"]);
        Assert.Equal(2, rc);
        Assert.Contains("no-such-file.fits", stderr);
        Assert.StartsWith("error:", stderr.TrimStart());
    }

    [Fact]
    public void TrainNoiseNeverRotatesBecauseStripesHaveADirection()
    {
        // A 90-degree rotation turns column stripes into row stripes, a noise the detector never makes;
        // flips keep the stripe direction and stay on.
        var (rc, stdout, _) = CliProcess.Run(Scorpio.Tests.TestPaths.RepoRoot, ["train-noise", "--print-config", "--image-size", "16"]);
        Assert.Equal(0, rc);
        var augment = System.Text.Json.Nodes.JsonNode.Parse(stdout)!["training"]!["augment"]!;
        Assert.False(augment["rot90"]!.GetValue<bool>());
        Assert.True(augment["flip"]!.GetValue<bool>());
    }
}
