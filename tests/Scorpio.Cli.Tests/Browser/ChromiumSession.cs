using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Scorpio.Cli.Tests.Browser;

/// <summary>
/// Headless Debian chromium driven by its chromedriver through Selenium, with a fresh profile and no network services
/// (no sync, component updates or QUIC), as the reports must work offline from file://. Selenium Manager is never asked
/// to download a browser: both binaries are given by path.
/// </summary>
internal sealed class ChromiumSession : IDisposable
{
    public const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";
    private readonly string _profile;

    public ChromeDriver Web { get; }

    public ChromiumSession(int width = 1400, int height = 1000)
    {
        _profile = Scorpio.Tests.TestPaths.TempDir("chromium-profile");
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={_profile}", $"--window-size={width},{height}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Web = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    /// <summary>What is missing to run a browser test, or null when chromium and its driver are installed.</summary>
    public static string? Missing() =>
        !File.Exists(Browser) ? Browser : !File.Exists(Driver) ? Driver : null;

    public void Dispose()
    {
        try { Web.Quit(); } catch (WebDriverException) { } // the browser already gone: nothing to close
        Web.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
