using Scorpio.Diffusion;

namespace Scorpio.Posterior;

/// <summary>
/// How <c>pnp-dm</c> runs (<see cref="PnpDmPosteriorMethod"/>). rho is the coupling between the split variables, in the
/// prior's normalised units (the noise level, sigma/mu, of the prior step).
/// </summary>
public sealed record PnpDmSettings
{
    /// <summary>rho_0 of the annealing (Wu et al. 2024 start at 10 for images scaled to [-1, 1]); capped at the SDE's largest noise level.</summary>
    public double RhoStart { get; init; } = 10;

    /// <summary>
    /// Final coupling; null = automatic: the rho at which the widening of the noise, rho^2 lambda_max(A^T Sigma^-1 A), equals
    /// <see cref="Widening"/>, but at least <see cref="Floor"/> (the prior step needs room to be a draw).
    /// </summary>
    public double? RhoMin { get; init; }

    /// <summary>Per-iteration factor of the exponential annealing (Wu et al. 2024: 0.9).</summary>
    public double RhoDecay { get; init; } = 0.9;

    /// <summary>
    /// The automatic rho_min's bound on rho^2 lambda_max: the relative variance the coupling adds to the best-measured
    /// direction's noise (0.02: its posterior standard deviation at most 1% too wide).
    /// </summary>
    public double Widening { get; init; } = 0.02;

    /// <summary>Iterations at rho_min after the annealing (the effective sample size in summary.json says whether they decorrelate).</summary>
    public int FinalIterations { get; init; } = 100;

    /// <summary>Langevin steps per likelihood step with a learned noise model (SLIC): noise-model evaluations per iteration.</summary>
    public int LangevinSteps { get; init; } = 20;

    /// <summary>Langevin step size with a learned noise model, in units of 1 / lambda_max(A^T J A) (J the noise precision).</summary>
    public double LangevinGamma { get; init; } = 0.1;

    /// <summary>Conjugate-gradient iterations of the likelihood step when the problem is too large for the dense form.</summary>
    public int CgIterations { get; init; } = 20;

    /// <summary>Multiple of the prior SDE's smallest noise level below which rho_min may not go.</summary>
    public const double FloorFactor = 1.5;

    /// <summary>The smallest rho_min for <paramref name="sde"/>: <see cref="FloorFactor"/> times its smallest noise level sigma/mu.</summary>
    public static double Floor(Sde sde) => FloorFactor * sde.NoiseRatio(sde.Epsilon);

    /// <summary>
    /// The rho_min that runs: <see cref="RhoMin"/>, or the one at which rho^2 <paramref name="lambda"/> = <see cref="Widening"/>
    /// (lambda = lambda_max(A^T Sigma^-1 A)), at least <see cref="Floor"/>.
    /// </summary>
    public double FinalRho(Sde sde, double lambda) => RhoMin ?? Math.Max(Math.Sqrt(Widening / lambda), Floor(sde));

    /// <summary>The checks that need no prior (front ends call them before loading one); errors name the setting.</summary>
    public void Check()
    {
        if (!(RhoStart > 0) || !double.IsFinite(RhoStart)) throw new Astro.InvalidSettingException("rhoStart", $"must be a positive noise level (got {RhoStart})");
        if (RhoMin is double m && (!(m > 0) || !(m <= RhoStart)))
            throw new Astro.InvalidSettingException("rhoMin", $"must be positive and at most rhoStart {RhoStart} (got {m})");
        if (!(RhoDecay > 0 && RhoDecay < 1)) throw new Astro.InvalidSettingException("rhoDecay", $"must lie in (0, 1) (got {RhoDecay}); Wu et al. 2024 use 0.9");
        if (!(Widening > 0)) throw new Astro.InvalidSettingException("widening", $"must be positive (got {Widening})");
        if (FinalIterations < 1) throw new Astro.InvalidSettingException("finalIterations", $"must be at least 1 (got {FinalIterations})");
        if (LangevinSteps < 1) throw new Astro.InvalidSettingException("langevinSteps", $"must be at least 1 (got {LangevinSteps})");
        if (!(LangevinGamma > 0 && LangevinGamma < 1)) throw new Astro.InvalidSettingException("langevinGamma", $"must lie in (0, 1) (got {LangevinGamma})");
        if (CgIterations < 1) throw new Astro.InvalidSettingException("cgIterations", $"must be at least 1 (got {CgIterations})");
    }
}
