namespace Scorpio.Posterior;

/// <summary>
/// How a posterior method runs; a method reads what it uses and records what it actually ran in summary.json (null means
/// the method's default). Kept in one record so the CLI and eval pass them the same way to every method.
/// </summary>
public sealed record PosteriorSettings
{
    /// <summary>Sampler name for methods that run one (any of <see cref="Sampling.SamplerRegistry"/>); null = the method's default (score: euler-maruyama; mmps: <see cref="MmpsPosteriorMethod.DefaultSampler"/>).</summary>
    public string? Sampler { get; init; }
    /// <summary>Time-grid points; null = the method's default (score: the sampler's; DPS: 1000; mmps: <see cref="MmpsPosteriorMethod.DefaultSteps"/>).</summary>
    public int? Steps { get; init; }
    /// <summary>Time grid (uniform, karras, log-sigma); null = the method's default (score: karras; DPS: uniform).</summary>
    public string? Grid { get; init; }
    /// <summary>DPS step size zeta' (scaled by 1/||r||, as diffusion4astro).</summary>
    public double Zeta { get; init; } = DpsSampler.DefaultZeta;
    /// <summary>mmps: conjugate-gradient iterations per score evaluation (each one vector-Jacobian product of the prior); null = <see cref="MmpsPosteriorMethod.DefaultCgIterations"/>.</summary>
    public int? CgIterations { get; init; }
    /// <summary>pnp-dm's annealing and likelihood-step settings.</summary>
    public PnpDmSettings PnpDm { get; init; } = new();
}
