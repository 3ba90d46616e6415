using Scorpio.Astro;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Reduced chi^2 of a reconstruction against the data: sum((y - y_model)^2 / sigma^2) / N over the
/// N pixels, where y_model is the reconstruction pushed through the forward model (the posterior
/// mean itself for denoising). About 1 when the residuals are consistent with the noise level;
/// much above 1: misfit; much below: over-fitting the noise.
/// </summary>
public static class ResidualChiSquare
{
    /// <summary>chi^2 / dof with a known per-pixel noise <paramref name="sigma"/> (same units as the images).</summary>
    public static double Compute(ImageData observation, IReadOnlyList<double> model, double sigma)
    {
        if (observation.Length != model.Count)
            throw new ArgumentException($"observation has {observation.Length} values but the model image has {model.Count}");
        if (!(sigma > 0)) throw new InvalidSettingException("noiseSigma", $"must be positive (got {sigma})");
        double s = 0;
        for (int i = 0; i < model.Count; i++) { double r = (observation.Data[i] - model[i]) / sigma; s += r * r; }
        return s / model.Count;
    }

    /// <summary>A robust noise level from the residuals themselves (1.4826 MAD), for when none is given.</summary>
    public static double RobustSigma(ImageData observation, IReadOnlyList<double> model) =>
        Descriptive.MadSigma(Enumerable.Range(0, model.Count).Select(i => observation.Data[i] - model[i]));
}
