namespace Scorpio.Astro.Baselines;

/// <summary>Settings of <see cref="RichardsonLucy"/>.</summary>
public sealed record RichardsonLucyOptions
{
    /// <summary>Number of multiplicative updates (more = sharper and noisier).</summary>
    public int Iterations { get; init; } = 30;

    /// <summary>
    /// Damping threshold T in data units (e.g. 3 x noise sigma), or null for plain RL. Damped RL
    /// (White 1994, Gaussian form) stops updating pixels whose residual |y - m| is within T, which
    /// suppresses noise amplification in flat regions: ratio = 1 + U^(N-1) (N - (N-1) U) (y - m)/m
    /// with U = min(1, (y - m)^2 / T^2), N = 10.
    /// </summary>
    public double? DampingThreshold { get; init; }

    /// <summary>
    /// True (default): negative data are clipped to 0, as RL assumes non-negative counts, and
    /// the estimate stays non-negative. False: the data are shifted up by -min(y) for the
    /// iteration and the shift removed afterwards, so negative values survive (exact in the
    /// interior, where the PSF sums to 1; approximate within a PSF radius of the border).
    /// </summary>
    public bool NonNegative { get; init; } = true;

    /// <summary>Throws an <see cref="InvalidSettingException"/> naming the first unusable field (in camelCase).</summary>
    public void Validate()
    {
        if (Iterations < 1) throw new InvalidSettingException("iterations", $"must be at least 1 (got {Iterations})");
        if (DampingThreshold is { } t && !(t > 0)) throw new InvalidSettingException("dampingThreshold", $"must be > 0 data units (got {t})");
    }
}
