using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Tests.Calibration;

/// <summary>
/// The posterior methods as the calibration tiers run them: each with its registered defaults (see
/// <see cref="PosteriorMethods"/>), batched over every simulated pair at once. DPS runs <see cref="DpsSteps"/> steps (its
/// default is 1000; the tests state both). A new method joins the tiers with one line here.
/// </summary>
internal static class CalibrationMethods
{
    /// <summary>DPS steps in the tiers (5x fewer than its default 1000, for time).</summary>
    public const int DpsSteps = 200;

    public static Tensor Run(string method, CalibrationSetup setup, Scorpio.Models.ScoreModel prior, ulong seed) => method switch
    {
        "mmps" => setup.Mmps(prior, prior.Sde, MmpsPosteriorMethod.DefaultSampler,
            new SamplerOptions { Steps = MmpsPosteriorMethod.DefaultSteps, Grid = "karras" }, MmpsPosteriorMethod.DefaultCgIterations, seed),
        "score" => setup.ConvolvedScore(prior, prior.Sde, "euler-maruyama", new SamplerOptions { Grid = "karras" }, seed),
        "pnp-dm" => setup.PnpDm(prior, prior.Sde, seed),
        "dps" => setup.Dps(prior, prior.Sde, DpsSteps, DpsSampler.DefaultZeta, seed),
        _ => throw new ArgumentException(method),
    };
}
