namespace Scorpio.Density;

/// <summary>
/// Per-image results of <see cref="DataLogLikelihood"/>: <paramref name="BitsPerDim"/> (with the dequantisation term when a
/// quantum was given) and <paramref name="LogLikelihood"/>, log p of the (dequantised) image in nats in the reported units;
/// <paramref name="Dimensions"/> per image; <paramref name="ClippedPixels"/> outside the normalisation's range;
/// <paramref name="Nfe"/> score evaluations in all.
/// </summary>
public sealed record DataLogLikelihoodResult(double[] BitsPerDim, double[] LogLikelihood, long Dimensions, long ClippedPixels, long Nfe)
{
    public int Count => BitsPerDim.Length;

    /// <summary>Mean bits/dim over the images.</summary>
    public double MeanBitsPerDim => BitsPerDim.Average();

    /// <summary>Standard error of <see cref="MeanBitsPerDim"/> (sample standard deviation / sqrt(N)); null for one image.</summary>
    public double? StandardError
    {
        get
        {
            int n = Count;
            if (n < 2) return null;
            double mean = MeanBitsPerDim;
            return Math.Sqrt(BitsPerDim.Sum(v => (v - mean) * (v - mean)) / (n - 1) / n);
        }
    }
}
