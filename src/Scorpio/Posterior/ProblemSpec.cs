using Scorpio.Likelihoods;

namespace Scorpio.Posterior;

/// <summary>
/// An inverse problem as a user states it: one or several exposures of one scene (each with its own forward model and
/// noise) and how the likelihood is evaluated. Several exposures are inferred jointly (Adam et al. 2023 deconvolve four
/// dithered HST exposures of one field at once). Read from flags or from a problem file (<see cref="ProblemFile"/>).
/// </summary>
public sealed record ProblemSpec
{
    /// <summary>The exposures; all share the prior's model grid, and their observations must have one shape.</summary>
    public required IReadOnlyList<ExposureSpec> Exposures { get; init; }
    /// <summary>A learned noise model's run folder (scorpio train-noise): the SLIC likelihood for every exposure instead of Gaussian noise.</summary>
    public string? NoiseModelPath { get; init; }
    /// <summary>
    /// The noise model of <see cref="NoiseModelPath"/> already loaded (not owned by the problem), so that a caller solving many problems
    /// loads it once; null = <see cref="InverseProblemBuilder.Build"/> loads it from the path.
    /// </summary>
    public Models.ScoreModel? NoiseModel { get; init; }
    /// <summary>Gaussian likelihood: how M(t) = mu^2 Sigma + sigma^2 A A^T is inverted.</summary>
    public CovarianceForm Form { get; init; } = CovarianceForm.Auto;
    /// <summary>SLIC: exact residuals (default) or annealed ones.</summary>
    public SlicResidual Residual { get; init; } = SlicResidual.Exact;
    /// <summary>Where the problem came from (a problem file), for messages and summaries; null for flags.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// The same one-exposure problem for another observation (an object of a catalogue run): the exposure's forward model
    /// and noise are kept, its observation (and mask) replaced by <paramref name="observation"/> (not owned).
    /// </summary>
    public ProblemSpec ForObservation(ObservationInput observation)
    {
        if (Exposures.Count != 1)
            throw new Astro.UserInputException($"a catalogue gives one observation per object: its problem has one exposure (this one has {Exposures.Count})");
        return this with { Exposures = [Exposures[0] with { ObservationPath = null, MaskPath = null, Observation = observation }] };
    }
}
