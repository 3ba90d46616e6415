namespace Scorpio.Likelihoods;

/// <summary>Which residual SLIC hands to the noise score.</summary>
public enum SlicResidual
{
    /// <summary>eta_t = mu(t) y - A x_t (Adam et al. 2023 eq. 12): distributed as mu eta + sigma A z under the convolved approximation.</summary>
    Exact,
    /// <summary>
    /// "Annealed residuals" (score_models' SLIC option, Song et al.'s hijacking trick): eta_t = mu(t)(y - A x_t) + sigma(t) z with a
    /// fresh z ~ N(0, I) in observation space each evaluation.
    /// </summary>
    Annealed,
}
