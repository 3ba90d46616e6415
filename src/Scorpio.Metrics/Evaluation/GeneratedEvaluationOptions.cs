using Scorpio.Astro;
using Scorpio.Metrics.Photometry;

namespace Scorpio.Metrics.Evaluation;

/// <summary>Settings of <see cref="GeneratedSetEvaluator"/> (the `scorpio evaluate` command).</summary>
public sealed record GeneratedEvaluationOptions
{
    /// <summary>Every metric group, in report order.</summary>
    public static readonly string[] AllMetrics = { "sgd", "morphology", "conv", "resnet", "pqmass", "pixels", "objects", "nn" };

    /// <summary>Metric groups to run (subset of <see cref="AllMetrics"/>).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = AllMetrics;

    /// <summary>Seed of the real-set split, subsampling, PQMass references and the random-conv weights.</summary>
    public long Seed { get; init; }

    /// <summary>Synthetic Galaxy Distance photometry settings (also used for the morphology magnitudes' zero point and corners).</summary>
    public SgdOptions Sgd { get; init; } = new();

    /// <summary>PQMass reference points (reduced, and reported as such, when the sets are too small).</summary>
    public int PqmRefs { get; init; } = 100;

    /// <summary>PQMass re-tessellations.</summary>
    public int PqmTessellations { get; init; } = 20;

    /// <summary>PQMass label permutations per tessellation (0 = none).</summary>
    public int PqmPermutations { get; init; }

    /// <summary>Nearest training neighbours shown per generated image.</summary>
    public int NeighbourCount { get; init; } = 5;

    /// <summary>Generated images shown in the nearest-neighbour figure.</summary>
    public int NeighbourRows { get; init; } = 8;

    /// <summary>Detection threshold for object statistics, in noise sigmas above the median.</summary>
    public double DetectSigma { get; init; } = 3;

    /// <summary>Minimum object area for object statistics, px.</summary>
    public int DetectMinArea { get; init; } = 5;

    /// <summary>Throws a clear error for unknown metric names.</summary>
    public void Validate()
    {
        var unknown = Metrics.Where(m => !AllMetrics.Contains(m)).ToArray();
        if (unknown.Length > 0)
            throw new InvalidSettingException("metrics", $"names unknown metric(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllMetrics)}");
    }
}
