using Scorpio.Astro;
using Scorpio.Distributed;

namespace Scorpio.Tests.Distributed;

/// <summary>The local launcher's start failure is a user error naming the program, not an internal error.</summary>
public class LocalLauncherStartTests
{
    [Fact]
    public void AMissingProgramIsAClearError()
    {
        const string missing = "/nonexistent/scorpio-launcher-test";
        var e = Assert.Throws<UserInputException>(() => LocalLauncher.Run(missing, ["train"], 2, TimeSpan.FromSeconds(1), _ => { }));
        Assert.Contains(missing, e.Message);
        Assert.Contains("rank 0", e.Message);
    }
}
