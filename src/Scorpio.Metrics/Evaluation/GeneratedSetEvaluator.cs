using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Evaluation.Sections;
using Scorpio.Metrics.Reporting;

namespace Scorpio.Metrics.Evaluation;

/// <summary>
/// Compares a generated image set with a real one and writes metrics.json and a self-contained
/// report.html: Synthetic Galaxy Distance, Frechet distance/KID on morphology and on random-conv
/// features, FD-ResNet18 (ImageNet ResNet18 features), PQMass, pixel histograms, object statistics and nearest neighbours. Every number is
/// reported beside the same metric between two disjoint halves of the real set (the galaxy
/// paper's baseline), so "small" has a scale.
/// </summary>
public static class GeneratedSetEvaluator
{
    /// <summary>Runs the selected metrics and writes <paramref name="outDir"/>/metrics.json and report.html; returns the JSON.</summary>
    public static JsonObject Run(ImageData real, ImageData generated, string outDir, GeneratedEvaluationOptions options, Action<string>? log = null)
    {
        options.Validate();
        Directory.CreateDirectory(outDir);
        string figures = Path.Combine(outDir, "figures");
        Directory.CreateDirectory(figures);
        var ctx = EvaluationContext.Create(real, generated, options, figures);
        ctx.Json["tool"] = "scorpio evaluate";
        ctx.Json["seed"] = options.Seed;
        ctx.Json["sizes"] = ctx.Sizes();
        ctx.Json["baseline"] = "real_vs_real compares two disjoint random halves of the real set (A = reference, B = baseline); generated_vs_real compares an equal-size random subset of the generated set with the same half A";

        var sizes = ctx.Sizes();
        ctx.Report.Paragraph($"Real set: {sizes["real_total"]} images of {ctx.Shape.Bands} band(s), {ctx.Shape.Height}x{ctx.Shape.Width} px, split at random (seed {options.Seed}) into half A ({sizes["real_reference_half_A"]}, the reference) and half B. Every metric is shown for generated vs real A and, as the baseline for a perfect generator, real B vs real A, with {sizes["generated_used"]} images on each side.");
        Montage(ctx);

        var sections = new (string Key, Action<EvaluationContext> Run)[]
        {
            ("sgd", SgdSection.Run), ("morphology", MorphologySection.Run), ("conv", ConvFeatureSection.Run), ("resnet", ResNetSection.Run),
            ("pqmass", PqMassSection.Run), ("pixels", PixelSection.Run), ("objects", ObjectSection.Run), ("nn", NeighbourSection.Run),
        };
        var skipped = new JsonObject();
        foreach (var (key, run) in sections)
        {
            if (!options.Metrics.Contains(key)) continue;
            var sw = Stopwatch.StartNew();
            log?.Invoke($"evaluate: {key} ...");
            try { run(ctx); }
            catch (Exception e) when (Inner(e) is ArgumentException a)
            {
                // A metric that cannot apply to these images (e.g. no measurable galaxy) is reported, not fatal.
                skipped[key] = a.Message;
                ctx.Report.Heading(key).Paragraph($"Skipped: {a.Message}", "note");
            }
            log?.Invoke($"evaluate: {key} done in {sw.Elapsed.TotalSeconds:F1} s");
        }
        if (skipped.Count > 0) ctx.Json["skipped"] = skipped;
        JsonOutput.Save(Path.Combine(outDir, "metrics.json"), ctx.Json);
        ctx.Report.Save(Path.Combine(outDir, "report.html"));
        return ctx.Json;
    }

    // Parallel loops wrap the measurement's ArgumentException in an AggregateException.
    private static Exception Inner(Exception e) => e is AggregateException { InnerException: { } i } ? Inner(i) : e;

    private static void Montage(EvaluationContext ctx)
    {
        int n = Math.Min(6, Math.Min(Data.StackShape.Of(ctx.RealA).Count, Data.StackShape.Of(ctx.Generated).Count));
        var real = Enumerable.Range(0, n).Select(i => NeighbourSection.Tile(ctx.RealA, i)).ToList();
        var generated = Enumerable.Range(0, n).Select(i => NeighbourSection.Tile(ctx.Generated, i)).ToList();
        // One stretch for every tile, from the real tiles pooled, so brightness compares between real and generated.
        var stretch = Stretch.Asinh();
        var limits = stretch.Limits(real.SelectMany(t => t.Data).ToArray());
        ImagePanel Panel(string title, ImageData im) => new(title, im) { Stretch = stretch, Limits = limits, Unit = "data units" };
        var rows = new[]
        {
            new PanelRow(real.Select((t, i) => Panel($"real {i}", t)).ToList()),
            new PanelRow(generated.Select((t, i) => Panel($"generated {i}", t)).ToList()),
        };
        ctx.Report.Figure(rows, "examples", "Top row: real images (half A); bottom row: generated images; one asinh stretch for all, from the real tiles.",
            Path.Combine(ctx.FigureDir, "examples.png"));
        var viewer = new ImageViewer("real and generated images");
        for (int i = 0; i < n; i++) viewer.Add($"real {i}", real[i], unit: "data units");
        for (int i = 0; i < n; i++) viewer.Add($"generated {i}", generated[i], unit: "data units", sample: true);
        ctx.Report.Viewer(viewer);
    }
}
