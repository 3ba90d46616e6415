using Scorpio.Diffusion;
using Scorpio.Sampling;

namespace Scorpio.Posterior;

/// <summary>Time grids that start below T (inpainting from a start time, SDEdit from the transfer time).</summary>
public static class PosteriorGrids
{
    /// <summary>
    /// <paramref name="points"/> times evenly spaced from <paramref name="start"/> down to epsilon (DDPM: snapped to its
    /// steps, repeats dropped). <paramref name="start"/> is clamped to [epsilon, T].
    /// </summary>
    public static double[] Uniform(Sde sde, double start, int points)
    {
        if (points < 1) throw new ArgumentException($"a time grid needs at least one point (got {points})");
        start = Math.Clamp(start, sde.Epsilon, sde.T);
        var t = new double[points];
        for (int i = 0; i < points; i++) t[i] = points == 1 ? start : start + (sde.Epsilon - start) * i / (points - 1);
        var onSteps = sde.Discretise(t);
        // A start at epsilon leaves one point, not a grid that stands still.
        return onSteps.Where((ti, i) => i == 0 || ti < onSteps[i - 1]).ToArray();
    }

    /// <summary>
    /// The part of a full sampler grid below <paramref name="start"/>, with <paramref name="start"/> prepended: SDEdit keeps the
    /// sampler's step density and spends a fraction of its steps.
    /// </summary>
    public static double[] Truncate(double[] fullGrid, double start)
    {
        var below = fullGrid.Where(t => t < start).ToList();
        below.Insert(0, start);
        return below.ToArray();
    }

    /// <summary>The SDE time for a fraction <paramref name="fraction"/> in (0, 1] of the way to T (DDPM: 0.6 is step 600 of 1000); errors name <paramref name="setting"/>.</summary>
    public static double TimeOfFraction(Sde sde, double fraction, string setting)
    {
        if (!(fraction > 0) || fraction > 1)
            throw new Astro.InvalidSettingException(setting, $"must be in (0, 1] (a fraction of the diffusion time; got {fraction})");
        return Math.Max(sde.Epsilon, fraction * sde.T);
    }
}
