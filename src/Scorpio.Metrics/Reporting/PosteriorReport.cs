using Scorpio.Astro;
using Scorpio.Metrics.Data;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// report.html of `scorpio posterior`: the product grid (observation | median; std | residual, with truth and z-score when
/// a truth is given) and the interactive viewer over observation, median, mean, std, residual and the samples.
/// </summary>
public static class PosteriorReport
{
    /// <summary>Writes <paramref name="dir"/>/report.html from the posterior folder's files; returns its path.</summary>
    public static string Write(string dir, ImageData? observation, ImageData? truth = null, string? description = null)
    {
        var run = PosteriorFolder.Read(dir);
        var images = PosteriorDisplay.FromFolder(dir, run, truth, observation);
        var report = new HtmlReport("Scorpio posterior");
        report.Paragraph($"{run.Samples.Count} posterior samples of {run.Samples.ImageShape[^1]}x{run.Samples.ImageShape[^2]} pixels in {dir}." +
            (description is null ? "" : " " + description) + " Units: " + (images.Unit ?? "the observation's data units (no BUNIT keyword)") + ".");
        report.Heading("Posterior products");
        report.Figure(PosteriorDisplay.Grid(images), "posterior products",
            "Top: the observation and the posterior median on one asinh stretch (the median's limits). Bottom: posterior standard deviation and the residual y - A(median) on the observed grid (blue negative, red positive).",
            Path.Combine(dir, "figure.png"));
        report.Heading("Viewer");
        report.Paragraph("Hover for pixel values; switch stretch and limits; blink or swipe between two layers; play the samples.", "note");
        report.Viewer(PosteriorDisplay.Viewer(images, "posterior"));
        string path = Path.Combine(dir, "report.html");
        report.Save(path);
        return path;
    }
}
