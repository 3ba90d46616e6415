using System.Xml;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Astro.Npy;
using Scorpio.Tests;

namespace Scorpio.Astro.Tests;

/// <summary>PNG validity (decoded independently), stretches, colour maps, figures, SVG plots and previews of real data.</summary>
public class ImagingTests
{
    [Fact]
    public void GrayPng8_DecodesToTheSamePixels()
    {
        var path = Path.Combine(TestPaths.TempDir("png"), "g.png");
        var data = new float[] { 0, 0.5f, 1, -3, 7, float.NaN };
        Png.WriteGray(path, data, 3, 2);
        var d = PngDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal((3, 2, 8, 1), (d.Width, d.Height, d.BitDepth, d.Channels));
        // round(0.5*255) = 128 (MathF.Round is to-even: 127.5 -> 128); out-of-range clips; NaN -> 0.
        Assert.Equal(new[] { 0, 128, 255, 0, 255, 0 }, d.Samples);
    }

    [Fact]
    public void RgbPng16_DecodesToTheSamePixels()
    {
        var path = Path.Combine(TestPaths.TempDir("png"), "c.png");
        Png.WriteRgb(path, new float[] { 1, 0 }, new float[] { 0.25f, 0 }, new float[] { 0, 1 }, 2, 1, bitDepth: 16);
        var d = PngDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal((2, 1, 16, 3), (d.Width, d.Height, d.BitDepth, d.Channels));
        // 0.25 * 65535 = 16383.75 -> 16384.
        Assert.Equal(new[] { 65535, 16384, 0, 0, 0, 65535 }, d.Samples);
        Assert.Throws<UserInputException>(() => Png.WriteGray(path, new float[3], 2, 2)); // 3 values for 2x2
        Assert.Throws<UserInputException>(() => Png.WriteGray(path, new float[4], 2, 2, bitDepth: 4));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        // The CRC-32 check value of "123456789" is 0xCBF43926 (ISO-HDLC catalogue entry).
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Stretches_MapLimitsToZeroAndOne()
    {
        var data = Enumerable.Range(0, 101).Select(i => (float)i).ToArray(); // 0..100
        var lin = Stretch.Linear().Apply(data);
        Assert.Equal(0f, lin[0]); Assert.Equal(1f, lin[100]); Assert.Equal(0.5f, lin[50], 6);
        var pct = Stretch.Percentile(10, 90);
        Assert.Equal((10.0, 90.0), pct.Limits(data)); // percentiles of 0..100 are the values themselves
        Assert.Equal(0.5f, pct.Apply(data)[50], 6);
        // asinh with softening 0.1: t = 0.5 -> asinh(5)/asinh(10) = 0.7834; brighter than linear, as intended.
        var a = Stretch.Asinh(0.1, 0, 100).Apply(data);
        Assert.Equal(Math.Asinh(5) / Math.Asinh(10), a[50], 5);
        var l = Stretch.Log(1000, 0, 100).Apply(data);
        Assert.Equal(Math.Log10(501) / Math.Log10(1001), l[50], 5); // 0.9000
        var sym = Stretch.Symmetric(100).Apply(new float[] { -2, 0, 1 });
        Assert.Equal(new float[] { 0, 0.5f, 0.75f }, sym); // limits ±2: zero sits at 0.5
        Assert.True(float.IsNaN(Stretch.Linear().Apply(new[] { 1f, float.NaN, 2f })[1]));
        Assert.Throws<UserInputException>(() => Stretch.Percentile(90, 10));
    }

    [Fact]
    public void ZScale_OnGaussianNoiseWithStars_BracketsTheNoise()
    {
        var rng = new Random(7);
        var data = new float[128 * 128];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(100 + 10 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        for (int i = 0; i < 200; i++) data[rng.Next(data.Length)] = 60000; // saturated stars
        var (lo, hi) = ZScale.Limits(data);
        // For N(100, 10) the sorted-sample slope at the median is about sigma*sqrt(2 pi)/n, so the limits are
        // median -/+ (n/2)*slope/0.25 = 100 -/+ 2*sqrt(2 pi)*10 ~ 100 -/+ 50. The line is fitted to the whole
        // S-shaped sorted curve (tails kept up to 2.5 sigma), which is steeper than at the centre: allow up to +/-65.
        Assert.InRange(lo, 35, 80);
        Assert.InRange(hi, 120, 165);
        var (plo, phi) = Stretch.Linear().Limits(data);
        Assert.Equal(60000, phi); // min/max would be dominated by the stars
    }

    [Fact]
    public void ColorMaps_HitTheirPublishedEndpoints()
    {
        Assert.Equal((68 / 255f, 1 / 255f, 84 / 255f), ColorMap.Viridis[0]);     // viridis #440154
        Assert.Equal((253 / 255f, 231 / 255f, 37 / 255f), ColorMap.Viridis[1]);  // viridis #fde725
        Assert.Equal((247 / 255f, 247 / 255f, 247 / 255f), ColorMap.Diverging[0.5f]); // zero residual is white
        var lo = ColorMap.Diverging[0]; var hi = ColorMap.Diverging[1];
        Assert.True(lo.B > lo.R && hi.R > hi.B, "negative is blue, positive red");
        Assert.Equal((0.5f, 0.5f, 0.5f), ColorMap.Gray[float.NaN]);
        // Viridis luminance increases monotonically (a sequential map).
        double Lum((float R, float G, float B) c) => 0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B;
        var lums = Enumerable.Range(0, 21).Select(i => Lum(ColorMap.Viridis[i / 20f])).ToArray();
        for (int i = 1; i < lums.Length; i++) Assert.True(lums[i] > lums[i - 1]);
    }

    [Fact]
    public void Grid_DrawsReadableStampsWithTitlesAndColourBars()
    {
        var path = Path.Combine(TestPaths.TempDir("grid"), "grid.png");
        var white = new ImageData(Enumerable.Repeat(1f, 20 * 30).ToArray(), 20, 30);
        var ramp = new ImageData(Enumerable.Range(0, 20 * 30).Select(i => (float)(i % 30) / 29).ToArray(), 20, 30);
        Preview.SaveGrid(path, new[] { ramp, white, ramp }, Stretch.Linear(0, 1), new[] { "A", "B", "C1" }, columns: 2, unit: "flux");
        using var d = SkiaSharp.SKBitmap.Decode(path); // Skia writes filtered RGBA PNGs; the encoder itself is Skia's
        // A 30-px-wide stamp is enlarged by ceil(160/30) = 6 to 180x120; cells are 180 wide with 10-px gaps: 10 + 2 * 190 = 390.
        // Each row: pad 10 + title 24 + image 120 + colour bar (gap 6 + bar 12 + tick 4 + labels 14 + caption 16) = 206; 2 rows + 10.
        Assert.Equal((390, 422), (d.Width, d.Height));
        int Grey(int x, int y) => d.GetPixel(x, y).Red;
        // The ramp's stamp (x 10..190, y 34..154) keeps whole pixels: each 6x6 block is one grey level (nearest neighbour),
        // and the ramp rises left to right: column c of the image is grey round(255 c / 29).
        for (int c = 0; c < 30; c++)
            for (int dx = 0; dx < 6; dx++)
                Assert.Equal((int)Math.Round(255.0 * c / 29), Grey(10 + 6 * c + dx, 34 + 60));
        // The title strip above it holds ink from a real font (antialiased: many grey levels, some near-black).
        var title = Enumerable.Range(10, 180).SelectMany(x => Enumerable.Range(10, 24).Select(y => Grey(x, y))).ToList();
        Assert.Contains(title, v => v < 80);
        Assert.True(title.Distinct().Count() > 5, "antialiased text has intermediate grey levels");
        // The colour bar (y 160..172) runs from black to white across the cell.
        int barY = 34 + 120 + 6 + 6;
        Assert.True(Grey(12, barY) < 20 && Grey(187, barY) > 235, $"bar ends {Grey(12, barY)} .. {Grey(187, barY)}");
    }

    [Fact]
    public void Previews_OfRealData_Render()
    {
        var dir = TestPaths.TempDir("previews");
        var m51 = FitsFile.Read(TestPaths.Data("galaxies/m51_skimage_256.fits"));
        var trail = FitsFile.Read(TestPaths.Data("trails/satellite_trail_saao.fits"));
        var soss = NpyFile.Read(TestPaths.Data("soss/niriss_soss_wasp39_medframe.npy"));
        Preview.Save(Path.Combine(dir, "m51.png"), m51, Stretch.Asinh());
        Preview.Save(Path.Combine(dir, "trail.png"), trail, Stretch.ZScale());
        Preview.Save(Path.Combine(dir, "soss.png"), soss, Stretch.Asinh(0.02), ColorMap.Viridis);
        var hsc = FitsFile.Read(TestPaths.Data("deconvolution/Cut_HSC.fits")); // grizy
        var irg = ImageData.Stack(new[] { hsc.Plane(2), hsc.Plane(1), hsc.Plane(0) }); // i, r, g as R, G, B
        Preview.Save(Path.Combine(dir, "hsc_rgb.png"), irg, Stretch.Asinh());
        var checks = new (string File, int W, int H)[] { ("m51.png", 256, 256), ("trail.png", 512, 512), ("soss.png", 2048, 256), ("hsc_rgb.png", 50, 50) };
        foreach (var (file, w, h) in checks)
        {
            var d = PngDecoder.Decode(File.ReadAllBytes(Path.Combine(dir, file)));
            Assert.Equal((w, h), (d.Width, d.Height));
            // A sensible stretch uses the range: at least 50 distinct levels, neither all black nor all white.
            Assert.True(d.Samples.Distinct().Count() > 50, $"{file}: only {d.Samples.Distinct().Count()} grey levels");
            double mean = d.Samples.Average();
            Assert.InRange(mean, 5, 250);
        }
    }

    [Fact]
    public void SvgLineAndHistogram_AreWellFormedXmlWithTheirSeries()
    {
        var dir = TestPaths.TempDir("svg");
        var x = Enumerable.Range(1, 50).Select(i => (double)i).ToArray();
        var line = Path.Combine(dir, "loss.svg");
        SvgPlot.Line(line, new[]
        {
            new PlotSeries("train <loss>", x, x.Select(v => 1 / v).ToArray()),
            new PlotSeries("valid", x, x.Select(v => 1.2 / v).ToArray()) { Dashed = true },
        }, new PlotOptions { Title = "loss & co", XLabel = "epoch", YLabel = "loss", LogY = true, LogX = true });
        var doc = new XmlDocument();
        doc.Load(line);
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("s", "http://www.w3.org/2000/svg");
        var paths = doc.SelectNodes("//s:path[@class='series']", ns)!;
        Assert.Equal(2, paths.Count);
        Assert.Equal("train <loss>", paths[0]!.Attributes!["data-name"]!.Value); // escaped and parsed back
        Assert.Equal(50, paths[0]!.Attributes!["d"]!.Value.Split(' ').Length); // one M/L command per point
        Assert.Contains(doc.SelectNodes("//s:text", ns)!.Cast<XmlNode>(), n => n.InnerText == "loss & co");
        // log x from 1 to 50: decade ticks 1 and 10.
        var ticks = doc.SelectNodes("//s:text[@class='ticklabel']", ns)!.Cast<XmlNode>().Select(n => n.InnerText).ToList();
        Assert.Contains("1", ticks); Assert.Contains("10", ticks);

        var rng = new Random(3);
        var a = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() * 2).ToArray();
        var hist = Path.Combine(dir, "hist.svg");
        SvgPlot.Histogram(hist, new (string, IReadOnlyList<double>)[] { ("a", a), ("b", b) }, bins: 20, density: true);
        var hd = new XmlDocument();
        hd.Load(hist);
        var hp = hd.SelectNodes("//s:path[@class='series']", ns)!;
        Assert.Equal(2, hp.Count);
        // A step outline: 1 move + 2 points per bin + 1 closing point = 42 commands for 20 bins.
        Assert.Equal(42, hp[1]!.Attributes!["d"]!.Value.Split(' ').Length);
    }
}
