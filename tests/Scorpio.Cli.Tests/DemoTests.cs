using System.Text.RegularExpressions;
using Scorpio.Astro.Fits;

namespace Scorpio.Cli.Tests;

/// <summary>`scorpio demo --quick` end to end: the report's figures and links, and the posterior beats the observation.</summary>
[Collection("demo")]
public class DemoTests(DemoOutput demo)
{
    [Fact]
    public void QuickDemoWritesACompleteReportAndThePosteriorMedianBeatsTheObservation()
    {
        demo.RequireSuccess();
        var outDir = demo.Dir;

        var index = Path.Combine(outDir, "index.html");
        Assert.True(File.Exists(index));
        var html = File.ReadAllText(index);
        // The figures are embedded (prior, posterior products, posterior samples, inpainting), and so are the three viewers (prior, deconvolution, inpainting).
        int figures = Regex.Matches(html, "src=\"data:image/png;base64,").Count;
        Assert.True(figures >= 4, $"only {figures} embedded figures in the report");
        Assert.Equal(3, Regex.Matches(html, "<div class=\"sv\">").Count);
        foreach (var f in new[] { "prior.png", "posterior.png", "posterior_samples.png", "inpaint.png" })
            Assert.True(File.Exists(Path.Combine(outDir, "figures", f)), $"figures/{f} (the README gallery) was not written");
        // Links to the other reports resolve.
        var links = Regex.Matches(html, "(?:src|href)=\"([^\"#:]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(links.Count >= 3, $"only {links.Count} local links in the report");
        foreach (var link in links)
            Assert.True(File.Exists(Path.Combine(outDir, link)), $"index.html links to {link}, which does not exist");

        // Metric: RMS error against the simulated truth on the prior's 32x32 grid. The observation
        // (PSF-blurred, 2x2-pooled, noisy; repeated onto the fine grid) must be worse than the posterior
        // median, even in quick mode: the likelihood alone undoes part of the blur and the prior removes noise.
        var truth = FitsFile.Read(Path.Combine(outDir, "data", "truth.fits"));
        var observation = FitsFile.Read(Path.Combine(outDir, "data", "observation_upsampled.fits"));
        var median = FitsFile.Read(Path.Combine(outDir, "posterior", "median.fits"));
        double rmsObs = Rms(observation.Data, truth.Data), rmsMedian = Rms(median.Data, truth.Data);
        Assert.True(rmsMedian < rmsObs, $"posterior median RMS {rmsMedian:G4} is not below the observation's {rmsObs:G4}");
    }

    private static double Rms(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return Math.Sqrt(s / a.Length);
    }
}
