using Scorpio.Astro;

namespace Scorpio.Posterior;

/// <summary>The posterior methods by name (<c>scorpio posterior --method NAME</c>).</summary>
public static class PosteriorMethods
{
    /// <summary>The method <c>scorpio posterior</c> runs without --method: the best calibrated at acceptable cost (docs/posterior-with-psf.md).</summary>
    public const string Default = "mmps";

    /// <summary>The default for a problem: <see cref="Default"/> with Gaussian noise; score with a learned noise model, which mmps and dps do not take.</summary>
    public static string DefaultFor(bool learnedNoise) => learnedNoise ? "score" : Default;

    /// <summary>Every method, in the order listed in help texts (calibration numbers: tests/Scorpio.Tests/Calibration, tier A).</summary>
    public static IReadOnlyList<PosteriorMethodDefinition> All { get; } =
    [
        new("mmps", "moment-matching posterior sampling (Rozet et al. 2024; the default): the likelihood N(y; A x0_hat, Sigma_y + A V A^T) carries the " +
            "denoiser's covariance, solved by conjugate gradient; exact for a Gaussian prior. Cost per sample: 69 network evaluations + 345 " +
            "vector-Jacobian products (edm-heun, 35 Karras points, --cg-iters 4). Calibration on an exact Gaussian problem: 50/68/95% " +
            "intervals hold 0.50/0.68/0.95, posterior variance 1.03x the truth", s => new MmpsPosteriorMethod(s)),
        new("score", "posterior score (prior score + convolved Gaussian or SLIC likelihood score) in any sampler; the default for a learned " +
            "noise model (SLIC). Cost per sample: 1000 network evaluations (euler-maruyama, 1000 Karras points). Calibration on the exact " +
            "Gaussian problem: 0.48/0.66/0.94, variance 0.97x (the convolved likelihood over-weights the data at large t)", s => new ScorePosteriorMethod(s)),
        new("dps", "diffusion posterior sampling (Chung et al. 2023): reverse SDE plus a gradient step on the Gaussian residual. Cost per sample: " +
            "1000 network evaluations + 1000 vector-Jacobian products. Not calibrated: 0.38/0.54/0.92 on the exact Gaussian problem, variance 0.77x", s => new DpsPosteriorMethod(s)),
        new("pnp-dm", "split-Gibbs sampling with the diffusion prior (Wu, Sun et al. 2024): exact Gaussian (or, with a noise model, Langevin) likelihood draws alternating with reverse-SDE prior draws, rho annealed; exact as rho -> 0. " +
            "About 1,100 network evaluations per sample on small stamps; against the closed form (8x8 Gaussian prior): whitened variance 1.02-1.04, coverage 0.499/0.678/0.949 at 50/68/95%", s => new PnpDmPosteriorMethod(s)),
    ];

    public static IReadOnlyList<string> Names => All.Select(d => d.Name).ToArray();

    /// <summary>The method called <paramref name="name"/> made from <paramref name="settings"/>; an error listing the names otherwise.</summary>
    public static IPosteriorMethod Create(string name, PosteriorSettings settings) =>
        (All.FirstOrDefault(d => d.Name == name) ?? throw new InvalidSettingException("method", $"'{name}' is not known: use one of {string.Join(", ", Names)}"))
        .Create(settings);
}
