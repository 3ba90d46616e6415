using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Distances;
using Scorpio.Metrics.Evaluation;
using Scorpio.Tests;

namespace Scorpio.Metrics.Tests;

public class EvaluationTests
{
    [Fact]
    public void Evaluate_reads_fits_and_npy_sets_and_writes_a_self_contained_report()
    {
        // Real: one stacked FITS file of 48 Sersic galaxies; generated: a folder of 24 single-image
        // .npy files from a population 0.75 mag brighter. The SGD against real must exceed the
        // real-vs-real baseline, and every section must appear in metrics.json and report.html.
        string dir = TestPaths.TempDir("evaluate");
        var real = SersicRenderer.RandomSet(48, 1, 32, seed: 81);
        var gen = SersicRenderer.RandomSet(24, 1, 32, seed: 82, magShift: -0.75);
        string realPath = Path.Combine(dir, "real.fits");
        FitsFile.Write(realPath, real);
        string genDir = Path.Combine(dir, "generated");
        Directory.CreateDirectory(genDir);
        var gs = StackShape.Of(gen);
        for (int i = 0; i < gs.Count; i++)
            NpyFile.Write(Path.Combine(genDir, $"g{i:D3}.npy"), new ImageData(gen.Data[(i * 1024)..((i + 1) * 1024)], 32, 32));

        var realRead = ImageSetReader.Read(realPath, "--real");
        var genRead = ImageSetReader.Read(genDir, "--generated");
        Assert.Equal(new[] { 48, 32, 32 }, realRead.Shape);
        Assert.Equal(new[] { 24, 32, 32 }, genRead.Shape);
        Assert.Equal(gen.Data, genRead.Data);

        string outDir = Path.Combine(dir, "out");
        var json = GeneratedSetEvaluator.Run(realRead, genRead, outDir,
            new GeneratedEvaluationOptions { Seed = 4, Sgd = new() { PixelScale = 1 }, PqmTessellations = 3, NeighbourRows = 3 });

        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.Null(saved["skipped"]);
        Assert.Equal(24, (int)saved["sizes"]!["generated_used"]!);
        double sgdGen = (double)saved["sgd"]!["generated_vs_real"]!["sgd"]!;
        double sgdReal = (double)saved["sgd"]!["real_vs_real"]!["sgd"]!;
        Assert.True(sgdGen > sgdReal, $"SGD generated {sgdGen} vs baseline {sgdReal}");
        // One band: SGD = W1(mag) + W1(Re); the 0.75 mag shift alone gives W1(mag) ~ 0.75 (+-0.15 for 24 images).
        Assert.True(sgdGen > 0.6 && sgdGen > sgdReal + 0.4, $"SGD generated {sgdGen}, baseline {sgdReal}");
        foreach (var key in new[] { "morphology", "conv_features", "pqmass", "pixel_histograms", "objects", "nearest_neighbours" })
            Assert.NotNull(saved[key]);
        Assert.Contains("not Inception", (string)saved["conv_features"]!["name"]!);
        Assert.Equal((double)json["sgd"]!["generated_vs_real"]!["sgd"]!, sgdGen);

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("not Inception", html);
        Assert.Contains("<svg", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
    }

    [Fact]
    public void Unknown_metric_names_and_mismatched_sets_are_rejected_with_clear_messages()
    {
        var a = SersicRenderer.RandomSet(8, 1, 24, seed: 1);
        var b = SersicRenderer.RandomSet(8, 3, 24, seed: 2);
        string dir = TestPaths.TempDir("evaluate-errors");
        var e1 = Assert.Throws<InvalidSettingException>(() => GeneratedSetEvaluator.Run(a, a, dir, new GeneratedEvaluationOptions { Metrics = new[] { "fid" } }));
        Assert.Contains("choose from", e1.Message);
        Assert.Equal("metrics", e1.Parameter);
        var e2 = Assert.Throws<InvalidSettingException>(() => GeneratedSetEvaluator.Run(a, b, dir, new GeneratedEvaluationOptions()));
        Assert.Contains("same bands and size", e2.Message);
        Assert.Equal("generated", e2.Parameter);
        Assert.Throws<UserInputException>(() => ImageSetReader.Read(Path.Combine(dir, "missing.fits"), "--real"));
    }

    [Fact]
    public void Pqmass_on_real_hst_noise_accepts_two_halves_and_rejects_a_sky_offset()
    {
        // 400 random 12x12 patches of the real HST COSMOS F814W cutout (mostly correlated sky noise,
        // some galaxy) split into two halves: same distribution, so the mean p-value over
        // tessellations stays above 0.05 (observed 0.45, chi^2 19.3 for 19 expected). The second half
        // with a constant sky offset of half the noise sigma (a background-subtraction error) is
        // rejected: p < 1e-6 (observed 5e-16). Note what PQMass with Euclidean cells does NOT see at
        // this size: the same patches scaled by 1.3 (noise 30% too high) give p = 0.28 — in 144
        // dimensions every sample is nearest to the lowest-norm references of either set.
        var img = FitsFile.Read(TestPaths.Data("galaxies/hst_cosmos_f814w_147246.fits"));
        var rng = new Scorpio.Astro.Numerics.SeededRandom(91);
        int n = 400, p = 12, h = img.Height, w = img.Width;
        var patches = new float[n * p * p];
        for (int k = 0; k < n; k++)
        {
            int y0 = rng.NextInt(h - p), x0 = rng.NextInt(w - p);
            for (int y = 0; y < p; y++)
                for (int x = 0; x < p; x++) patches[(k * p + y) * p + x] = img[y0 + y, x0 + x];
        }
        var first = new SampleMatrix(patches[..(200 * p * p)], 200, p * p);
        var second = new SampleMatrix(patches[(200 * p * p)..], 200, p * p);
        double sigma = Scorpio.Metrics.Statistics.Descriptive.MadSigma(patches.Select(v => (double)v));
        var offset = new SampleMatrix(second.Data.Select(v => v + (float)(0.5 * sigma)).ToArray(), 200, p * p);
        var opt = new PqMassOptions { NumRefs = 20, ReTessellations = 10, Seed = 3 };
        var same = PqMass.Run(first, second, opt);
        var diff = PqMass.Run(first, offset, opt);
        Assert.True(same.PValueMean > 0.05, $"halves: p = {same.PValueMean}, chi2 = {same.Chi2Mean}");
        Assert.True(diff.PValueMean < 1e-6, $"offset: p = {diff.PValueMean}, chi2 = {diff.Chi2Mean}");
    }
}
