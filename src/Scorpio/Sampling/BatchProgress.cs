namespace Scorpio.Sampling;

/// <summary>
/// Progress of a run that works through its items in batches (<see cref="PriorSampling"/>, <see cref="Density.DataLogLikelihood"/>):
/// batch <paramref name="Batch"/> (1-based) of <paramref name="Batches"/>, <paramref name="Nfe"/> score evaluations done so far
/// in the whole run out of <paramref name="TotalNfe"/>; <paramref name="BatchDone"/> once the batch is finished (and, for
/// samples, handed to the caller).
/// </summary>
public readonly record struct BatchProgress(int Batch, int Batches, long Nfe, long TotalNfe, bool BatchDone)
{
    /// <summary>The batches of <paramref name="count"/> items in runs of at most <paramref name="batchSize"/>: (first item, size).</summary>
    public static IEnumerable<(int Start, int Size)> Ranges(int count, int batchSize)
    {
        for (int start = 0; start < count; start += batchSize) yield return (start, Math.Min(batchSize, count - start));
    }

    /// <summary>How many batches <see cref="Ranges"/> gives.</summary>
    public static int Count(int count, int batchSize) => (count + batchSize - 1) / batchSize;
}
