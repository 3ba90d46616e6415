using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Distances;

/// <summary>
/// PQMass over several tessellations. Under the null (same distribution) chi^2 has mean num_refs - 1
/// and std sqrt(2 (num_refs - 1)), and p-values are uniform; a chi^2 far above num_refs - 1 / p near 0
/// means the sets differ (Salhi et al. 2024 report chi^2 = 43 with 10 cells, expected 9).
/// </summary>
public sealed record PqMassResult(int NumRefs, int CountX, int CountY, IReadOnlyList<PqMassTessellation> Tessellations)
{
    /// <summary>Expected chi^2 under the null: num_refs - 1.</summary>
    public double ExpectedChi2 => NumRefs - 1;

    /// <summary>Mean of the re-expressed chi^2 over tessellations.</summary>
    public double Chi2Mean => Descriptive.Mean(Tessellations.Select(t => t.Chi2).ToArray());

    /// <summary>Standard deviation of the re-expressed chi^2 over tessellations.</summary>
    public double Chi2Std => Descriptive.StandardDeviation(Tessellations.Select(t => t.Chi2).ToArray());

    /// <summary>Mean p-value over tessellations.</summary>
    public double PValueMean => Descriptive.Mean(Tessellations.Select(t => t.PValue).ToArray());

    /// <summary>Standard deviation of the p-values over tessellations.</summary>
    public double PValueStd => Descriptive.StandardDeviation(Tessellations.Select(t => t.PValue).ToArray());

    /// <summary>Mean permutation p-value, when permutations were run.</summary>
    public double? PermutationPValueMean =>
        Tessellations.All(t => t.PermutationPValue.HasValue) && Tessellations.Count > 0
            ? Tessellations.Average(t => t.PermutationPValue!.Value) : null;
}
