using Scorpio.Astro.Fits;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// The products of a posterior run, in physical units: samples.fits, mean, median, std, p16/p84, p15/p85 and, with prior
/// samples, variance_ratio on the model grid (exposure 0's header with the WCS refined to the model grid); residual.fits
/// y - A(median) on the observed grid (every exposure stacked, exposure 0's header); and preview.png.
/// </summary>
public static class PosteriorWriter
{
    /// <summary>Every file a posterior run may write into its folder (summary.json last, by <see cref="PosteriorPipeline"/>).</summary>
    public static readonly IReadOnlyList<string> Products =
        ["samples.fits", "mean.fits", "median.fits", "std.fits", "p16.fits", "p84.fits", "p15.fits", "p85.fits", "residual.fits", "variance_ratio.fits", "preview.png", "summary.json"];

    /// <summary>Writes the maps and the preview into <paramref name="dir"/>; returns the files written and the summary statistics.</summary>
    /// <param name="dir">the output folder (existing).</param>
    /// <param name="problem">the problem (operator, observation, mask, noise and headers).</param>
    /// <param name="samples">posterior samples (N, C, H, W), physical units.</param>
    /// <param name="priorSamples">prior samples (M, C, H, W), physical units, or null.</param>
    /// <param name="apertureRadius">radius (model pixels) of the central aperture of the variance ratio.</param>
    public static (List<string> Files, PosteriorSummary Summary) Write(string dir, InverseProblem problem, Tensor samples, Tensor? priorSamples, double apertureRadius)
    {
        var summary = PosteriorSummary.Compute(samples, problem.Operator, (problem.Observation, problem.Mask), problem.SigmaMap, priorSamples, apertureRadius);
        var files = new List<string>();
        try
        {
            var modelHeader = problem.ModelHeader;
            void Image(string name, Tensor t, FitsHeader h, string what) { PosteriorFiles.WriteImage(Path.Combine(dir, name), t, h, what); files.Add(name); }
            Image("samples.fits", samples, modelHeader, $"{samples.Size(0)} posterior samples");
            Image("mean.fits", summary.Mean, modelHeader, "posterior mean");
            Image("median.fits", summary.Median, modelHeader, "posterior median");
            Image("std.fits", summary.Std, modelHeader, "posterior standard deviation");
            Image("p16.fits", summary.P16, modelHeader, "16th percentile");
            Image("p84.fits", summary.P84, modelHeader, "84th percentile");
            Image("p15.fits", summary.P15, modelHeader, "15th percentile");
            Image("p85.fits", summary.P85, modelHeader, "85th percentile");
            Image("residual.fits", summary.Residual!, problem.ObservedHeader, problem.Exposures.Count > 1 ? "y - A(median), observed grid, exposures stacked" : "y - A(median), observed grid");
            if (summary.VarianceRatio is not null) Image("variance_ratio.fits", summary.VarianceRatio, modelHeader, "posterior/prior variance");
            var panels = new List<PreviewPanel>
            {
                new("observation", problem.Exposures[0].Observation.Values), new("median", summary.Median), new("std", summary.Std, "positive"),
                new("residual", summary.Residual!, "symmetric"),
            };
            for (int k = 0; k < Math.Min(3, samples.Size(0)); k++) panels.Add(new($"sample {k}", samples.Select(0, k)));
            PreviewImage.Write(Path.Combine(dir, "preview.png"), panels);
            files.Add("preview.png");
            return (files, summary);
        }
        catch (Exception e)
        {
            summary.Dispose();
            PosteriorFiles.RemovePartial(dir, files, e);
            throw;
        }
    }
}
