using Scorpio.Astro.Numerics;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Posterior;

/// <summary>
/// Tests of Accuracy with Random Points (Lemos, Coogan, Hezaveh &amp; Perreault-Levasseur 2023), as in
/// the reference implementation's get_tarp_coverage: optionally normalise every dimension by the
/// truths' min and max over simulations; draw one reference point per simulation uniformly in the
/// unit cube; for each simulation f = fraction of posterior samples closer (Euclidean) to the
/// reference than the truth is; ECP(alpha) = fraction of simulations with f &lt; alpha.
/// Needs many simulations (one posterior per observation); works on whole images as vectors.
/// </summary>
public static class Tarp
{
    /// <summary>
    /// Coverage for <paramref name="samples"/>[s] (the posterior draws of simulation s, all with the same
    /// dimension) against <paramref name="truths"/> (one truth vector per simulation).
    /// <paramref name="alphaBins"/> defaults to max(2, sims / 10), the reference's n_sims // 10 kept usable for few sims.
    /// </summary>
    public static TarpResult Compute(IReadOnlyList<SampleMatrix> samples, IReadOnlyList<float[]> truths, long seed,
        int? alphaBins = null, bool normalize = true)
    {
        int sims = samples.Count;
        if (sims < 2) throw new ArgumentException($"TARP needs posteriors for at least 2 simulations (got {sims}); pass several posterior folders");
        if (truths.Count != sims) throw new ArgumentException($"{sims} posteriors but {truths.Count} truths");
        int d = truths[0].Length;
        for (int s = 0; s < sims; s++)
        {
            if (samples[s].Dimension != d || truths[s].Length != d)
                throw new Astro.UserInputException($"simulation {s}: samples have {samples[s].Dimension} values and the truth {truths[s].Length}, expected {d}: every posterior must be of the same image size");
            if (samples[s].Count < 1) throw new ArgumentException($"simulation {s} has no posterior samples");
        }
        if (alphaBins is < 1) throw new Astro.InvalidSettingException("alphaBins", $"must be at least 1 (got {alphaBins})");
        int bins = alphaBins ?? Math.Max(2, sims / 10);

        // Per-dimension affine map to the truths' [min, max] (+1e-10 as the reference), so uniform
        // references in the unit cube land where the truths are.
        var low = new float[d];
        var inv = new float[d];
        for (int k = 0; k < d; k++)
        {
            if (!normalize) { low[k] = 0; inv[k] = 1; continue; }
            float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
            foreach (var t in truths) { lo = Math.Min(lo, t[k]); hi = Math.Max(hi, t[k]); }
            low[k] = lo;
            inv[k] = (float)(1 / (hi - lo + 1e-10));
        }
        var rng = new SeededRandom(seed);
        var refs = new float[sims][];
        for (int s = 0; s < sims; s++)
        {
            refs[s] = new float[d];
            for (int k = 0; k < d; k++) refs[s][k] = (float)rng.NextDouble();
        }

        var f = new double[sims];
        Parallel.For(0, sims, s =>
        {
            double truthDist = Distance(truths[s], refs[s], low, inv);
            int closer = 0;
            for (int j = 0; j < samples[s].Count; j++)
                if (Distance(samples[s].Row(j), refs[s], low, inv) < truthDist) closer++;
            f[s] = (double)closer / samples[s].Count;
        });

        var alpha = Enumerable.Range(0, bins + 1).Select(i => (double)i / bins).ToArray();
        // Histogram of f over [0, 1] in `bins` bins, cumulated: ECP at alpha_i = fraction of f below alpha_i
        // (the last bin includes f = 1, so ECP(1) = 1).
        var ecp = alpha.Select((a, i) => i == bins ? 1.0 : f.Count(v => v < a) / (double)sims).ToArray();
        int mid = alpha.Length / 2;
        double atc = 0;
        for (int i = mid; i < alpha.Length; i++) atc += ecp[i] - alpha[i];
        double mad = alpha.Select((a, i) => Math.Abs(ecp[i] - a)).Average();
        return new TarpResult(alpha, ecp, f, atc, mad, KolmogorovSmirnov.UniformTest(f).PValue);
    }

    /// <summary>
    /// The expected-coverage curve and its summary exactly as sbi computes them (sbi.diagnostics.tarp: _run_tarp, then
    /// check_tarp), from the per-simulation coverage values f (<see cref="TarpResult.Coverage"/>): a histogram of f with
    /// <paramref name="bins"/> bins (default: simulations / 10, as sbi) over [min f, max f] (torch.histogram's range; a
    /// single value spans +-0.5 as numpy), alpha = its bin edges, ECP = 0 then the cumulated fractions; ATC = sum over the
    /// upper half of the edges (from index len/2) of (ECP - alpha) d_alpha; the p-value of scipy.stats.kstest(ECP, alpha),
    /// a two-sample Kolmogorov-Smirnov test of the two sets of numbers (<see cref="KolmogorovSmirnov.TwoSample"/>).
    /// </summary>
    public static TarpCheck CheckAsSbi(IReadOnlyList<double> coverage, int? bins = null)
    {
        int n = coverage.Count;
        if (n < 1) throw new ArgumentException("TARP needs at least one simulation's coverage value");
        int b = bins ?? n / 10;
        if (b < 1) throw new Astro.InvalidSettingException("tarpBins", $"sbi takes simulations / 10 bins: {n} simulations give {b}; run at least 10 simulations or give the bins");
        double lo = coverage.Min(), hi = coverage.Max();
        if (hi == lo) { lo -= 0.5; hi += 0.5; }
        var counts = new double[b];
        foreach (double f in coverage) counts[Math.Min(b - 1, (int)((f - lo) / (hi - lo) * b))]++;
        var alpha = Enumerable.Range(0, b + 1).Select(i => lo + (hi - lo) * i / b).ToArray();
        var ecp = new double[b + 1];
        for (int i = 0; i < b; i++) ecp[i + 1] = ecp[i] + counts[i] / n;
        ecp[b] = 1;
        int mid = alpha.Length / 2;
        double dAlpha = alpha[1] - alpha[0], atc = 0;
        for (int i = mid; i < alpha.Length; i++) atc += (ecp[i] - alpha[i]) * dAlpha;
        return new TarpCheck(alpha, ecp, atc, KolmogorovSmirnov.TwoSample(ecp, alpha).PValue);
    }

    private static double Distance(ReadOnlySpan<float> x, float[] reference, float[] low, float[] inv)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++) { double v = (x[k] - low[k]) * inv[k] - reference[k]; s += v * v; }
        return s; // squared: same ordering as the Euclidean distance
    }
}
