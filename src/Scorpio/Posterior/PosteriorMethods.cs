using Scorpio.Astro;

namespace Scorpio.Posterior;

/// <summary>The posterior methods by name (<c>scorpio posterior --method NAME</c>).</summary>
public static class PosteriorMethods
{
    /// <summary>Every method, in the order listed in help texts.</summary>
    public static IReadOnlyList<PosteriorMethodDefinition> All { get; } =
    [
        new("score", "posterior score (prior score + convolved Gaussian or SLIC likelihood score) in any sampler", s => new ScorePosteriorMethod(s)),
        new("dps", "diffusion posterior sampling (Chung et al. 2023): reverse SDE plus a gradient step on the Gaussian residual", s => new DpsPosteriorMethod(s)),
        new("pnp-dm", "split-Gibbs sampling with the diffusion prior (Wu, Sun et al. 2024): exact Gaussian (or, with a noise model, Langevin) likelihood draws alternating with reverse-SDE prior draws, rho annealed; exact as rho -> 0. " +
            "About 1,100 network evaluations per sample on small stamps; against the closed form (8x8 Gaussian prior): whitened variance 1.02-1.04, coverage 0.499/0.678/0.949 at 50/68/95%", s => new PnpDmPosteriorMethod(s)),
    ];

    public static IReadOnlyList<string> Names => All.Select(d => d.Name).ToArray();

    /// <summary>The method called <paramref name="name"/> made from <paramref name="settings"/>; an error listing the names otherwise.</summary>
    public static IPosteriorMethod Create(string name, PosteriorSettings settings) =>
        (All.FirstOrDefault(d => d.Name == name) ?? throw new InvalidSettingException("method", $"'{name}' is not known: use one of {string.Join(", ", Names)}"))
        .Create(settings);
}
