using System.Text.Json.Nodes;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Posterior;
using Scorpio.Metrics.Statistics;
using Scorpio.Metrics.Reporting;

namespace Scorpio.Calibration;

/// <summary>
/// The calibration statistics of simulated (truth, posterior samples, observation) triples, added one simulation at a time:
/// <list type="bullet">
/// <item>per-pixel and aperture-flux coverage of central 50/68/95% intervals from the truth's rank among the samples
/// (<see cref="RankCoverage"/>: exact for any number of samples);</item>
/// <item>z-scores (truth - posterior mean) / posterior sd per pixel; for a calibrated Gaussian posterior and n samples they
/// follow sqrt(1 + 1/n) t_{n-1}, of variance (1 + 1/n)(n - 1)/(n - 3);</item>
/// <item>TARP (Lemos et al. 2023) on whole images, with sbi's check (<see cref="Tarp.CheckAsSbi"/>: ECP curve, ATC, KS p);</item>
/// <item>the posterior-predictive chi^2 of y (Gelman, Meng and Stern 1996): chi^2(y, x_s) = sum over observed pixels of
/// ((y - A x_s) / sigma)^2 per sample; replicated data y_rep = A x_s + eta give chi^2 with m degrees of freedom exactly, so
/// the posterior-predictive p-value of a simulation is the mean over samples of P(chi^2_m &gt; chi^2(y, x_s)) (no replicate
/// draws needed). Calibrated posteriors give chi^2/m near 1 and p-values that are not piled up near 0.</item>
/// </list>
/// </summary>
public sealed class CalibrationStatistics
{
    /// <summary>Central credible levels of the coverage tables.</summary>
    public static readonly double[] Levels = [0.5, 0.68, 0.95];

    /// <summary>Edges of the z-score histogram: -5 to 5 by 0.5 (values beyond are counted in the end bins).</summary>
    public static readonly double[] ZEdges = Enumerable.Range(0, 21).Select(i => -5 + 0.5 * i).ToArray();

    private readonly List<float[]> _truths = [];
    private readonly List<SampleMatrix> _samples = [];
    private readonly List<double> _pixelRanks = [];
    private readonly List<double> _fluxRanks = [];
    private readonly List<double> _z = [];
    private readonly List<double> _chi2 = [];
    private readonly List<double> _ppp = [];
    private readonly double[] _aperture;
    private int? _perTruth;

    /// <param name="aperture">weights (0/1) of the aperture-flux pixels, one per value of a flattened image.</param>
    public CalibrationStatistics(double[] aperture) => _aperture = aperture;

    /// <summary>Simulations added so far.</summary>
    public int Count => _truths.Count;

    /// <summary>Per-pixel z-scores so far.</summary>
    public IReadOnlyList<double> ZScores => _z;

    /// <summary>
    /// Adds one simulation: its truth (D values), its n posterior samples (n x D, row-major, same units), and the chi^2 of
    /// y under every sample with its degrees of freedom m (observed pixels).
    /// </summary>
    public void Add(float[] truth, float[] samples, int n, double[] chi2, int dof)
    {
        int d = truth.Length;
        if (samples.Length != n * d) throw new ArgumentException($"{samples.Length} sample values for {n} samples of {d}");
        if (d != _aperture.Length) throw new ArgumentException($"images of {d} values, aperture of {_aperture.Length}");
        if (_perTruth is int k && k != n) throw new ArgumentException($"every simulation needs the same number of samples ({k}, got {n})");
        _perTruth = n;
        _truths.Add(truth);
        _samples.Add(new SampleMatrix(samples, n, d));
        double truthFlux = 0;
        var flux = new double[n];
        for (int p = 0; p < d; p++)
        {
            double t = truth[p], sum = 0, sq = 0;
            int below = 0;
            for (int j = 0; j < n; j++)
            {
                double v = samples[j * d + p];
                if (v < t) below++;
                sum += v;
                sq += v * v;
                flux[j] += _aperture[p] * v;
            }
            truthFlux += _aperture[p] * t;
            _pixelRanks.Add(below);
            if (n > 1)
            {
                double mean = sum / n, sd = Math.Sqrt(Math.Max(sq / n - mean * mean, 0) * n / (n - 1));
                if (sd > 0) _z.Add((t - mean) / sd);
            }
        }
        _fluxRanks.Add(flux.Count(f => f < truthFlux));
        _chi2.AddRange(chi2.Select(c => c / dof));
        _ppp.Add(chi2.Average(c => ChiSquared.Survival(c, dof)));
    }

    /// <summary>TARP with sbi's check over the simulations so far (at least 2); <paramref name="seed"/> draws the reference points.</summary>
    public (TarpResult Tarp, TarpCheck Check) Tarp(long seed)
    {
        var tarp = Metrics.Posterior.Tarp.Compute(_samples, _truths, seed);
        return (tarp, Metrics.Posterior.Tarp.CheckAsSbi(tarp.Coverage, Math.Max(1, Count / 10)));
    }

    /// <summary>Coverage of the central <paramref name="level"/> intervals: per pixel, and of the aperture flux.</summary>
    public (double Pixel, double Flux) Coverage(double level) =>
        (RankCoverage.Fraction(_pixelRanks, _perTruth ?? 1, level), RankCoverage.Fraction(_fluxRanks, _perTruth ?? 1, level));

    /// <summary>Counts of the z-scores in the bins of <see cref="ZEdges"/> (the end bins take what lies beyond).</summary>
    public double[] ZHistogram()
    {
        var counts = new double[ZEdges.Length - 1];
        double width = ZEdges[1] - ZEdges[0];
        foreach (double z in _z) counts[Math.Clamp((int)Math.Floor((z - ZEdges[0]) / width), 0, counts.Length - 1)]++;
        return counts;
    }

    /// <summary>The statistics as calibration.json's "statistics" object.</summary>
    public JsonObject Summarise(long seed)
    {
        if (Count < 2) throw new InvalidOperationException("calibration statistics need at least 2 simulations");
        int n = _perTruth!.Value;
        var coverage = new JsonObject();
        foreach (double level in Levels)
        {
            var (pixel, flux) = Coverage(level);
            coverage[$"{level * 100:F0}"] = new JsonObject { ["pixel"] = JsonOutput.Number(pixel), ["aperture_flux"] = JsonOutput.Number(flux) };
        }
        var (tarp, check) = Tarp(seed);
        double zMean = Descriptive.Mean(_z), zSd = Descriptive.StandardDeviation(_z, 1);
        double zExpected = n > 3 ? Math.Sqrt((1 + 1.0 / n) * (n - 1.0) / (n - 3.0)) : double.NaN;
        return new JsonObject
        {
            ["coverage"] = coverage,
            ["coverage_rule"] = $"rank of the truth among {n} samples, uniform on 0..{n} when calibrated; the central p interval counts the ranks inside the central p of that uniform (boundary ranks in part), so a calibrated posterior gives exactly p",
            ["tarp"] = new JsonObject
            {
                ["alpha"] = JsonOutput.Numbers(check.Alpha),
                ["ecp"] = JsonOutput.Numbers(check.Ecp),
                ["atc"] = JsonOutput.Number(check.Atc),
                ["ks_p_value"] = JsonOutput.Number(check.KsPValue),
                ["bins"] = check.Alpha.Length - 1,
                ["coverage_values"] = JsonOutput.Numbers(tarp.Coverage),
                ["coverage_values_uniform_ks_p"] = JsonOutput.Number(tarp.KsPValue),
                ["rule"] = "sbi: run_tarp (z-scored by the truths' range, one uniform reference per simulation, L2) then check_tarp (ATC over the upper half with d_alpha; scipy kstest(ECP, alpha))",
            },
            ["z_scores"] = new JsonObject
            {
                ["edges"] = JsonOutput.Numbers(ZEdges),
                ["counts"] = JsonOutput.Numbers(ZHistogram()),
                ["mean"] = JsonOutput.Number(zMean),
                ["sd"] = JsonOutput.Number(zSd),
                ["sd_expected_if_calibrated"] = JsonOutput.Number(zExpected),
                ["fraction_abs_above_3"] = JsonOutput.Number(_z.Count(z => Math.Abs(z) > 3) / (double)Math.Max(1, _z.Count)),
            },
            ["posterior_predictive"] = new JsonObject
            {
                ["chi2_per_dof_mean"] = JsonOutput.Number(Descriptive.Mean(_chi2)),
                ["chi2_per_dof_median"] = JsonOutput.Number(Descriptive.Median(_chi2)),
                ["p_value_mean"] = JsonOutput.Number(Descriptive.Mean(_ppp)),
                ["p_value_fraction_below_0.05"] = JsonOutput.Number(_ppp.Count(p => p < 0.05) / (double)_ppp.Count),
                ["p_values"] = JsonOutput.Numbers(_ppp),
            },
        };
    }
}
