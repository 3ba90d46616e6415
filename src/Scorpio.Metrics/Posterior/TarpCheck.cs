namespace Scorpio.Metrics.Posterior;

/// <summary>
/// TARP's curve and verdict as sbi reports them (<see cref="Tarp.CheckAsSbi"/>): a calibrated posterior gives ECP close to
/// alpha, ATC close to 0 (&gt; 0 under-confident, &lt; 0 over-confident or biased) and a KS p-value above 0.05.
/// </summary>
/// <param name="Alpha">Credibility levels: the histogram's bin edges over [min f, max f] (sbi's alpha grid).</param>
/// <param name="Ecp">Expected coverage probability at each alpha (0 first).</param>
/// <param name="Atc">Area to curve: sum over the upper half of (ECP - alpha) d_alpha (sbi's check_tarp).</param>
/// <param name="KsPValue">Two-sample Kolmogorov-Smirnov p-value between the ECP and alpha values (sbi's check_tarp).</param>
public sealed record TarpCheck(double[] Alpha, double[] Ecp, double Atc, double KsPValue);
