using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Reporting;
using Scorpio.Metrics.Statistics;
using static Scorpio.Metrics.Reporting.HtmlReport;

namespace Scorpio.Metrics.Evaluation.Sections;

/// <summary>
/// Memorisation check (galaxy paper Fig. 3): each generated image beside its nearest training images
/// in pixel space (L2). As a number: the median nearest-neighbour distance from generated images to
/// real half A, against the same for held-out real half B. Generated images much closer to the
/// training set than held-out real images are suggest copying.
/// </summary>
internal static class NeighbourSection
{
    public static void Run(EvaluationContext ctx)
    {
        var o = ctx.Options;
        var a = SampleMatrix.FromStack(ctx.RealA);
        double medG = Descriptive.Median(NearestNeighbours.Find(SampleMatrix.FromStack(ctx.Generated), a, 1).Select(n => n.Distance[0]));
        double medB = Descriptive.Median(NearestNeighbours.Find(SampleMatrix.FromStack(ctx.RealB), a, 1).Select(n => n.Distance[0]));

        int rows = Math.Min(o.NeighbourRows, StackShape.Of(ctx.Generated).Count);
        var shape = ctx.Shape;
        var queries = shape.Select(ctx.Generated, Enumerable.Range(0, rows).ToArray());
        var nn = NearestNeighbours.Find(SampleMatrix.FromStack(queries), SampleMatrix.FromStack(ctx.Real), o.NeighbourCount);
        var tiles = new List<ImageData>();
        var labels = new List<string>();
        var listing = new JsonArray();
        for (int q = 0; q < rows; q++)
        {
            tiles.Add(Tile(queries, q));
            labels.Add($"gen {q}");
            for (int k = 0; k < nn[q].Index.Length; k++)
            {
                tiles.Add(Tile(ctx.Real, nn[q].Index[k]));
                labels.Add($"{nn[q].Distance[k]:G2}");
            }
            listing.Add(new JsonObject
            {
                ["generated_index_in_evaluated_subset"] = q,
                ["real_indices"] = new JsonArray(nn[q].Index.Select(i => (JsonNode)i).ToArray()),
                ["l2_distances"] = JsonOutput.Numbers(nn[q].Distance),
            });
        }
        string png = Path.Combine(ctx.FigureDir, "nearest_neighbours.png");
        Preview.SaveGrid(png, tiles, Stretch.Asinh(), labels, columns: o.NeighbourCount + 1);

        ctx.Json["nearest_neighbours"] = new JsonObject
        {
            ["median_nn_distance_generated_to_real_A"] = JsonOutput.Number(medG),
            ["median_nn_distance_real_B_to_real_A"] = JsonOutput.Number(medB),
            ["ratio"] = JsonOutput.Number(medG / medB),
            ["figure"] = Path.GetFileName(png),
            ["neighbours"] = listing,
        };
        var r = ctx.Report;
        r.Heading("Nearest training neighbours (memorisation check)");
        r.Table(new[] { "median L2 distance to the nearest real image (half A)", "generated", "real half B (held out)", "ratio" },
            new[] { new[] { "pixel space", Format(medG), Format(medB), Format(medG / medB) } });
        r.Paragraph("A ratio well below 1 means generated images sit closer to training images than independent real images do: a sign of copying. Each row below: a generated image, then its nearest real images (L2 in pixel space), closest first.", "note");
        r.Png(File.ReadAllBytes(png), "nearest neighbours", "Each row: a generated image, then its nearest real images (whole real set), closest first, labelled with the L2 distance.");
        r.Table(new[] { "generated", "nearest real images (index: L2 distance)" },
            Enumerable.Range(0, rows).Select(q => (IReadOnlyList<string>)new[] { $"gen {q}", string.Join(", ", nn[q].Index.Zip(nn[q].Distance, (i, d) => $"{i}: {Format(d)}")) }));
    }

    // One image as (H, W) or (3, H, W) for figures and viewers (other band counts show band 0), at its own pixel size:
    // PanelFigure enlarges small stamps by whole pixels.
    internal static ImageData Tile(ImageData stack, int index)
    {
        var s = StackShape.Of(stack);
        int bands = s.Bands == 3 ? 3 : 1;
        var data = new float[bands * s.PlaneSize];
        for (int b = 0; b < bands; b++) s.PlaneOf(stack, index, b).Span.CopyTo(data.AsSpan(b * s.PlaneSize));
        return bands == 3 ? new ImageData(data, 3, s.Height, s.Width) : new ImageData(data, s.Height, s.Width);
    }
}
