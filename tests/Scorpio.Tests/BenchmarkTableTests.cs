using Scorpio.Bench.Peer;

namespace Scorpio.Tests;

/// <summary>The README's side-by-side benchmark table is the one bench/peer's report renders from bench/results/peer-*.json.</summary>
public class BenchmarkTableTests
{
    [Fact]
    public void TheReadmeTableMatchesTheResultFiles()
    {
        var log = new StringWriter();
        int rc = PeerReport.Update(Path.Combine(TestPaths.RepoRoot, "README.md"), Path.Combine(TestPaths.RepoRoot, "bench", "results"), check: true, log);
        Assert.True(rc == 0, log.ToString());
    }

    [Fact]
    public void EveryResultFileGivesOneRow()
    {
        var results = Path.Combine(TestPaths.RepoRoot, "bench", "results");
        int files = Directory.GetFiles(results, "peer-*.json").Length;
        var rows = PeerReport.Table(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files + 2, rows.Length);   // header and separator lines
    }
}
