using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Reporting;

namespace Scorpio.Metrics.Tests;

/// <summary>The report building blocks: the viewer's embedded data, the posterior display's z-score and grid, one script per page.</summary>
public class ReportingTests
{
    private static ImageData Ramp(int h, int w, float scale) => new(Enumerable.Range(0, h * w).Select(i => scale * (i % w) + 0.01f * (i / w)).ToArray(), h, w);

    private static JsonObject Spec(string html) =>
        JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" class=\"sv-data\">(.*?)</script>").Groups[1].Value)!.AsObject();

    [Fact]
    public void Viewer_EmbedsExactFloat32LayersAndGroupLimitsFromTheReference()
    {
        var truth = Ramp(8, 10, 1);
        var obs = Ramp(4, 5, 2);
        var resid = new ImageData(new float[] { -3, 1, 2, -0.5f }, 2, 2);
        var viewer = new ImageViewer("t <x>")
            .Add("truth", truth, unit: "e-/s").Add("observation", obs, unit: "e-/s", reference: true).Add("sample 0", truth, sample: true)
            .Add("residual", resid, group: "r", cmap: ColorMap.Diverging);
        var html = viewer.Html();
        Assert.Contains("<h3>t &lt;x&gt;</h3>", html);
        var spec = Spec(html);
        var layers = spec["layers"]!.AsArray();
        Assert.Equal(4, layers.Count);
        // The pixels come back bit for bit (little-endian float32, as the page's Float32Array reads them).
        var bytes = Convert.FromBase64String((string)layers[1]!["data"]!);
        var back = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, back, 0, bytes.Length);
        Assert.Equal(obs.Data, back);
        Assert.Equal((5, 4), ((int)layers[1]!["w"]!, (int)layers[1]!["h"]!));
        Assert.Equal("e-/s", (string?)layers[0]!["unit"]);
        // The signal group's limits are the marked reference's (the observation), per stretch.
        var lin = spec["groups"]!["signal"]!["linear"]!.AsArray();
        var expected = Stretch.Percentile(0.5, 99.5).Limits(obs.Data);
        Assert.Equal(expected, ((double)lin[0]!, (double)lin[1]!));
        var z = spec["groups"]!["signal"]!["zscale"]!.AsArray();
        Assert.Equal(Stretch.ZScale().Limits(obs.Data), ((double)z[0]!, (double)z[1]!));
        // A diverging group is symmetric about zero under every stretch: the 99th percentile of |x| of (-3, 1, 2, -0.5).
        var r = spec["groups"]!["r"]!["asinh"]!.AsArray();
        Assert.Equal(-(double)r[1]!, (double)r[0]!);
        Assert.InRange((double)r[1]!, 2.9, 3.0);
        Assert.Equal(new[] { 2 }, spec["samples"]!.AsArray().Select(n => (int)n!).ToArray());
        // Small stamps are shown at least 320 px: 10 px wide -> 32x.
        Assert.Equal(320, (int)spec["display"]!);
    }

    [Fact]
    public void Report_InlinesTheViewerScriptOnceAndEmbedsFigures()
    {
        var report = new HtmlReport("r");
        report.Viewer(new ImageViewer("a").Add("x", Ramp(4, 4, 1))).Viewer(new ImageViewer("b").Add("y", Ramp(4, 4, 1)));
        report.Figure(new[] { new PanelRow(new[] { new ImagePanel("x", Ramp(4, 4, 1)) }) }, "fig");
        var html = report.Render();
        Assert.Equal(1, Regex.Matches(html, "<script>\n").Count); // the viewer code, once
        Assert.Equal(2, Regex.Matches(html, "class=\"sv-data\"").Count);
        Assert.Single(Regex.Matches(html, "src=\"data:image/png;base64,"));
        Assert.DoesNotContain("http", Regex.Replace(html, "xmlns=\"http://www.w3.org/2000/svg\"", "")); // nothing to fetch
        Assert.DoesNotContain("<script>", new HtmlReport("plain").Paragraph("p").Render()); // no viewer, no script
    }

    [Fact]
    public void PosteriorDisplay_ZScoreAndGridFollowTheProducts()
    {
        var truth = new ImageData(new float[] { 1, 2, 3, 4 }, 2, 2);
        var mean = new ImageData(new float[] { 0, 2, 5, 4 }, 2, 2);
        var std = new ImageData(new float[] { 0.5f, 1, 4, 0 }, 2, 2);
        var z = PosteriorDisplay.ZScore(truth, mean, std);
        Assert.Equal(new[] { 2f, 0f, -0.5f }, z.Data[..3]);
        Assert.True(float.IsNaN(z.Data[3])); // std 0: undefined, drawn grey
        var images = new PosteriorImages(mean, mean, std) { Truth = truth, Observation = new ImageData(new float[] { 1 }, 1, 1), Residual = truth };
        var rows = PosteriorDisplay.Grid(images);
        Assert.Equal(new[] { "truth", "observation (1x1)", "posterior median" }, rows[0].Panels.Select(p => p.Title));
        Assert.True(rows[0].SharedStretch);
        Assert.Equal(0, rows[0].Reference); // the truth sets the stretch
        Assert.Equal(new[] { "posterior std", "z = (truth - mean) / std", "residual y - A(median)" }, rows[1].Panels.Select(p => p.Title));
        // Without a truth the median sets the signal stretch, and there is no z-score.
        var noTruth = PosteriorDisplay.Grid(images with { Truth = null });
        Assert.Equal("posterior median", noTruth[0].Panels[noTruth[0].Reference].Title);
        Assert.DoesNotContain(noTruth[1].Panels, p => p.Title.StartsWith("z ", StringComparison.Ordinal));
        var resolved = noTruth[0].Resolved();
        Assert.All(resolved, p => Assert.Equal(resolved[noTruth[0].Reference].Limits, p.Limits));
    }
}
