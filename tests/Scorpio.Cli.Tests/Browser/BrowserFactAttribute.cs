namespace Scorpio.Cli.Tests.Browser;

/// <summary>
/// A test that needs Debian's chromium and chromium-driver (`make test` installs them with tools/deps.sh --browser). Where
/// they are missing it is skipped, with a notice that says what to install, rather than passing silently.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ChromiumSession.Missing() is { } missing)
            Skip = $"no browser: {missing} not found; install it with 'tools/deps.sh --browser' (apt-get install chromium chromium-driver)";
    }
}
