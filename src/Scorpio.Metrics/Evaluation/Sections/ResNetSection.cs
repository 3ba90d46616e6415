using System.Text.Json.Nodes;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Features;
using Scorpio.Metrics.Reporting;
using static Scorpio.Metrics.Reporting.HtmlReport;

namespace Scorpio.Metrics.Evaluation.Sections;

/// <summary>FD-ResNet18: the Frechet distance between Gaussians fitted to ImageNet ResNet18's pooled features (not FID: Inception-v3).</summary>
internal static class ResNetSection
{
    public static void Run(EvaluationContext ctx)
    {
        using var net = new ResNet18Features();
        var limits = ResNet18Features.Limits(ctx.RealA);
        var fa = net.Extract(ctx.RealA, limits);
        var fb = net.Extract(ctx.RealB, limits);
        var fg = net.Extract(ctx.Generated, limits);
        double fdG = FrechetDistance.FromSamples(fg, fa);
        double fdB = FrechetDistance.FromSamples(fb, fa);
        ctx.Json["fd_resnet18"] = new JsonObject
        {
            ["name"] = ResNet18Features.DistanceName,
            ["definition"] = $"Frechet distance between Gaussians fitted to the {ResNet18Features.Dimension} pooled features of ImageNet ResNet18 (ML.NET's ONNX export); " +
                $"band 0, 255 * asinh stretch between the real half A's pooled p0.5 and p99.9 ({limits.Low:G4}, {limits.High:G4}), resized to {ResNet18Features.InputSize}x{ResNet18Features.InputSize} (bilinear), grey to 3 channels, ImageNet mean image subtracted",
            ["stretch_limits"] = new JsonArray(limits.Low, limits.High),
            ["generated_vs_real"] = JsonOutput.Number(fdG), ["real_vs_real"] = JsonOutput.Number(fdB),
        };
        var r = ctx.Report;
        r.Heading(ResNet18Features.DistanceName);
        r.Paragraph($"Frechet distance on the {ResNet18Features.Dimension} pooled features of ImageNet ResNet18: each image (band 0) is stretched to 0-255 (asinh between the real reference half's 0.5 and 99.9 percentiles), " +
            $"resized to {ResNet18Features.InputSize}x{ResNet18Features.InputSize}, copied to 3 channels and ImageNet-normalised. A public network, so other codes can reproduce it, but NOT FID (Inception-v3): do not compare with published FIDs. " +
            $"With fewer images than features ({ResNet18Features.Dimension}) the fitted covariances are rank-deficient and the value is biased upwards; compare it with the real-vs-real baseline of the same size.", "note");
        r.Table(new[] { "metric", "generated vs real", "real vs real" }, new[] { new[] { ResNet18Features.DistanceName, Format(fdG), Format(fdB) } });
    }
}
