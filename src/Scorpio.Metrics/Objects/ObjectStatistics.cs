using Scorpio.Astro;
using Scorpio.Metrics.Data;

namespace Scorpio.Metrics.Objects;

/// <summary>
/// Object statistics of a set of images (Vicanek Martinez and Brüggen's "detected objects' sizes and positions"):
/// sources per image, and every source's area, flux and centroid, detected on one band.
/// </summary>
public sealed record ObjectStatistics(int[] CountsPerImage, DetectedObject[] Objects)
{
    /// <summary>Detects sources in band <paramref name="band"/> of every image of <paramref name="stack"/>.</summary>
    public static ObjectStatistics Measure(ImageData stack, int band = 0, double nSigma = 3, int minArea = 5)
    {
        var shape = StackShape.Of(stack);
        if (band < 0 || band >= shape.Bands) throw new ArgumentException($"detection band {band} does not exist in images with {shape.Bands} band(s)");
        var per = new IReadOnlyList<DetectedObject>[shape.Count];
        Parallel.For(0, shape.Count, i => per[i] = ObjectDetection.Detect(shape.PlaneOf(stack, i, band), nSigma, minArea));
        return new ObjectStatistics(per.Select(p => p.Count).ToArray(), per.SelectMany(p => p).ToArray());
    }
}
