using System.Text.Json.Nodes;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Reporting;
using static Scorpio.Metrics.Reporting.HtmlReport;

namespace Scorpio.Metrics.Evaluation.Sections;

/// <summary>Pixel-value histograms per band (Vicanek Martinez and Brüggen), with histogram intersection generated vs real beside real vs real.</summary>
internal static class PixelSection
{
    public static void Run(EvaluationContext ctx)
    {
        var s = ctx.Shape;
        var bands = new JsonArray();
        var rows = new List<string[]>();
        var figures = new List<string>();
        for (int b = 0; b < s.Bands; b++)
        {
            var a = BandPixels(ctx.RealA, b);
            var hb = PixelHistogram.Compute(a, BandPixels(ctx.RealB, b));
            var hg = PixelHistogram.Compute(a, BandPixels(ctx.Generated, b));
            bands.Add(new JsonObject
            {
                ["band"] = b,
                ["intersection_generated_vs_real"] = JsonOutput.Number(hg.Intersection),
                ["intersection_real_vs_real"] = JsonOutput.Number(hb.Intersection),
                ["bin_edges"] = JsonOutput.Numbers(hg.Edges),
                ["density_real_A"] = JsonOutput.Numbers(hg.DensityA),
                ["density_generated"] = JsonOutput.Numbers(hg.DensityB),
            });
            rows.Add(new[] { $"band {b}", Format(hg.Intersection), Format(hb.Intersection) });
            figures.Add(SvgPlot.LineSvg(new[]
            {
                Histogram.Step("real (half A)", hg.Edges, hg.DensityA, Histogram.RealA, logY: true),
                Histogram.Step("real (half B)", hb.Edges, hb.DensityB, Histogram.RealB, logY: true),
                Histogram.Step("generated", hg.Edges, hg.DensityB, Histogram.Generated, logY: true),
            }, new PlotOptions { Title = $"pixel values, band {b}", XLabel = "pixel value", YLabel = "density", LogY = true, Width = 520, Height = 340 }));
        }
        ctx.Json["pixel_histograms"] = new JsonObject
        {
            ["definition"] = "density histograms on 100 equal bins spanning the pooled 0.1-99.9% quantiles; intersection = sum of min(p_a, p_b) over bins (1 = identical)",
            ["bands"] = bands,
        };
        var r = ctx.Report;
        r.Heading("Pixel-value histograms");
        r.Table(new[] { "histogram intersection", "generated vs real", "real vs real" }, rows);
        foreach (var f in figures) r.Svg(f);
    }

    private static float[] BandPixels(Scorpio.Astro.ImageData stack, int band)
    {
        var shape = Data.StackShape.Of(stack);
        var result = new float[(long)shape.Count * shape.PlaneSize];
        for (int i = 0; i < shape.Count; i++)
            Array.Copy(stack.Data, (long)(i * shape.Bands + band) * shape.PlaneSize, result, (long)i * shape.PlaneSize, shape.PlaneSize);
        return result;
    }
}
