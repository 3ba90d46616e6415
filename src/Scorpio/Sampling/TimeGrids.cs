using Scorpio.Diffusion;

namespace Scorpio.Sampling;

/// <summary>
/// Decreasing time grids t_0 = T &gt; t_1 &gt; ... &gt; t_{K-1} = epsilon for the samplers. Every grid is a grid
/// of SDE times; the Karras and log-sigma grids are laid out in the noise level sigma(t)/mu(t) of x/mu
/// (a variance-exploding process for every SDE) and mapped back to times, so they mean the same thing
/// for VE, VP, EDM and DDPM. Every grid is finally put on the SDE's own times (<see cref="Sde.Discretise"/>: DDPM snaps
/// points to its steps and drops repeats, so a grid may come back shorter than asked for).
/// </summary>
public static class TimeGrids
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["uniform", "karras", "log-sigma"];

    /// <summary>Grid <paramref name="kind"/> (uniform, karras or log-sigma) with <paramref name="points"/> points.</summary>
    public static double[] Create(string kind, Sde sde, int points, double rho = 7.0) => kind switch
    {
        "uniform" => Uniform(sde, points),
        "karras" => Karras(sde, points, rho),
        "log-sigma" => LogSigma(sde, points),
        _ => throw new Astro.InvalidSettingException("grid", $"'{kind}' is not a time grid: use {string.Join(", ", Names)}"),
    };

    /// <summary>Times evenly spaced from T down to epsilon (Song et al. 2021; for DDPM, evenly strided steps).</summary>
    public static double[] Uniform(Sde sde, int points)
    {
        CheckPoints(points);
        var t = new double[points];
        for (int i = 0; i < points; i++) t[i] = points == 1 ? sde.T : sde.T + (sde.Epsilon - sde.T) * i / (points - 1);
        return Finish(sde, t);
    }

    /// <summary>
    /// Karras et al. (2022, eq. 5) noise levels sigma_i = (smax^(1/rho) + i/(K-1) (smin^(1/rho) - smax^(1/rho)))^rho
    /// between the SDE's end points, rho = 7 by default (more points at low noise), mapped to times.
    /// </summary>
    public static double[] Karras(Sde sde, int points, double rho = 7.0)
    {
        CheckPoints(points);
        var sigmas = KarrasSigmas(sde.NoiseRatio(sde.Epsilon), sde.NoiseRatio(sde.T), points, rho);
        return Finish(sde, sigmas.Select(sde.TimeOfNoiseRatio).ToArray());
    }

    /// <summary>Noise levels evenly spaced in log(sigma/mu) (uniform in log-SNR, as DPM-Solver's "logSNR"), mapped to times.</summary>
    public static double[] LogSigma(Sde sde, int points)
    {
        CheckPoints(points);
        double lo = Math.Log(sde.NoiseRatio(sde.Epsilon)), hi = Math.Log(sde.NoiseRatio(sde.T));
        var t = new double[points];
        for (int i = 0; i < points; i++) t[i] = sde.TimeOfNoiseRatio(Math.Exp(points == 1 ? hi : hi + (lo - hi) * i / (points - 1)));
        return Finish(sde, t);
    }

    /// <summary>The Karras schedule itself, in noise level, from <paramref name="sigmaMax"/> down to <paramref name="sigmaMin"/>.</summary>
    public static double[] KarrasSigmas(double sigmaMin, double sigmaMax, int points, double rho = 7.0)
    {
        CheckPoints(points);
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin)) throw new ArgumentException($"Karras grid needs 0 < sigma_min < sigma_max (got {sigmaMin}, {sigmaMax})");
        if (!(rho > 0)) throw new Astro.InvalidSettingException("rho", $"must be positive (got {rho})");
        double a = Math.Pow(sigmaMax, 1 / rho), b = Math.Pow(sigmaMin, 1 / rho);
        var s = new double[points];
        for (int i = 0; i < points; i++) s[i] = points == 1 ? sigmaMax : Math.Pow(a + (double)i / (points - 1) * (b - a), rho);
        return s;
    }

    private static void CheckPoints(int points)
    {
        if (points < 1) throw new ArgumentException($"a time grid needs at least one point (got {points})");
    }

    // End points exactly T and epsilon (bisection and pow leave ~1e-16 errors), then on the SDE's own steps.
    private static double[] Finish(Sde sde, double[] t)
    {
        t[0] = sde.T;
        if (t.Length > 1) t[^1] = sde.Epsilon;
        return sde.Discretise(t);
    }
}
