using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Numerics;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Reporting;
using Scorpio.Metrics.Statistics;

namespace Scorpio.Metrics.Evaluation;

/// <summary>
/// The sets every metric compares, fixed once per run. The real set is split at random (seeded) into
/// disjoint halves: A is the reference, B the real-vs-real baseline. Generated and B are subsampled
/// to the same size, so both comparisons against A have equal sample sizes and their numbers can
/// stand side by side (Frechet distances and W1 depend on sample size).
/// </summary>
internal sealed class EvaluationContext
{
    public required ImageData Real { get; init; }
    public required ImageData RealA { get; init; }
    public required ImageData RealB { get; init; }
    public required ImageData Generated { get; init; }
    public required StackShape Shape { get; init; }
    public required GeneratedEvaluationOptions Options { get; init; }
    public required JsonObject Json { get; init; }
    public required HtmlReport Report { get; init; }
    public required string FigureDir { get; init; }

    public static EvaluationContext Create(ImageData real, ImageData generated, GeneratedEvaluationOptions options, string figureDir)
    {
        var shape = StackShape.Of(real);
        var gshape = StackShape.Of(generated);
        shape.RequireCompatible(gshape, "real", "generated");
        if (shape.Count < 4)
            throw new InvalidSettingException("real", $"holds {shape.Count} image(s); at least 4 are needed to split it into two halves for the real-vs-real baseline");
        if (gshape.Count < 2) throw new InvalidSettingException("generated", $"holds {gshape.Count} image(s); at least 2 are needed");
        var rng = new SeededRandom(options.Seed, stream: 1);
        var perm = rng.Permutation(shape.Count);
        int half = shape.Count / 2;
        var a = perm[..half];
        var b = perm[half..(2 * half)];
        int nTest = Math.Min(gshape.Count, b.Length);
        var genPick = rng.Permutation(gshape.Count)[..nTest];
        Array.Sort(genPick);
        return new EvaluationContext
        {
            Real = real,
            RealA = shape.Select(real, a),
            RealB = shape.Select(real, b[..nTest]),
            Generated = gshape.Select(generated, genPick),
            Shape = shape,
            Options = options,
            Json = new JsonObject(),
            Report = new HtmlReport("Scorpio evaluation: generated vs real images"),
            FigureDir = figureDir,
        };
    }

    /// <summary>Sizes of the compared sets, recorded in metrics.json.</summary>
    public JsonObject Sizes() => new()
    {
        ["real_total"] = Shape.Count,
        ["real_reference_half_A"] = StackShape.Of(RealA).Count,
        ["real_baseline_half_B"] = StackShape.Of(RealB).Count,
        ["generated_used"] = StackShape.Of(Generated).Count,
        ["bands"] = Shape.Bands,
        ["height"] = Shape.Height,
        ["width"] = Shape.Width,
    };
}
