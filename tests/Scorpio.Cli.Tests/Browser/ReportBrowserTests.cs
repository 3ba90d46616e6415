using System.Globalization;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Scorpio.Astro.Fits;
using SkiaSharp;

namespace Scorpio.Cli.Tests.Browser;

/// <summary>
/// Each HTML report of the quick demo (the demo's index, `posterior`, `evaluate-posterior`, `evaluate`) opened from file://
/// in headless chromium: no console errors, no broken images, every viewer started; hovering a pixel shows the value the
/// FITS file holds there; switching the stretch redraws the canvas; the screenshots have the stated size and are not blank.
/// </summary>
[Collection("demo")]
public class ReportBrowserTests(DemoOutput demo)
{
    [BrowserFact]
    public void DemoIndex() => Check("index.html", "training 0", "data/train.fits", plane: 0);

    [BrowserFact]
    public void PosteriorReport() => Check("posterior/report.html", "observation", "data/observation.fits", plane: 0);

    [BrowserFact]
    public void EvaluatePosteriorReport() => Check("posterior-eval/report.html", "truth", "data/truth.fits", plane: 0);

    [BrowserFact]
    public void EvaluateReport() => Check("eval/report.html", "generated 0", "generated.fits", plane: 0);

    /// <summary>Opens <paramref name="report"/>, shows <paramref name="layer"/> in its first viewer and checks a hovered pixel against plane <paramref name="plane"/> of <paramref name="fits"/>.</summary>
    private void Check(string report, string layer, string fits, int plane)
    {
        demo.RequireSuccess();
        string path = demo.P(report);
        Assert.True(File.Exists(path), $"{report} was not written");
        using var session = new ChromiumSession();
        var web = session.Web;
        web.Navigate().GoToUrl(new Uri(path).AbsoluteUri);
        var js = (IJavaScriptExecutor)web;
        var wait = new WebDriverWait(web, TimeSpan.FromSeconds(30));
        int viewers = web.FindElements(By.CssSelector("div.sv")).Count;
        Assert.True(viewers >= 1, $"{report} has no image viewer");
        wait.Until(_ => web.FindElements(By.CssSelector("div.sv[data-ready='1']")).Count == viewers);

        // Every image decoded (the embedded PNG figures), none broken.
        long images = (long)js.ExecuteScript("return document.images.length;")!;
        long broken = (long)js.ExecuteScript("return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length;")!;
        Assert.True(images >= 1, $"{report}: no figures");
        Assert.Equal(0, broken);

        // Show the layer, then hover over pixel (x, y) of it: the readout names the pixel and the value the FITS file holds.
        var viewer = web.FindElements(By.CssSelector("div.sv"))[0];
        var select = new SelectElement(viewer.FindElement(By.CssSelector("select.sv-layer")));
        select.SelectByText(layer);
        var image = FitsFile.Read(demo.P(fits));
        var truth = image.Rank == 2 ? image : image.Plane(plane);
        int x = truth.Width / 2 + 1, y = truth.Height / 3;
        var canvas = viewer.FindElement(By.CssSelector("canvas.sv-canvas"));
        js.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", canvas); // pointer actions do not scroll by themselves
        var size = canvas.Size;
        // Selenium offsets are from the element's centre; aim at the middle of the pixel.
        int ox = (int)Math.Round((x + 0.5) * size.Width / truth.Width - size.Width / 2.0);
        int oy = (int)Math.Round((y + 0.5) * size.Height / truth.Height - size.Height / 2.0);
        new Actions(web).MoveToElement(canvas, ox, oy).Perform();
        var readout = viewer.FindElement(By.CssSelector("div.sv-readout"));
        wait.Until(_ => readout.GetAttribute("data-x") != null);
        Assert.Equal(layer, readout.GetAttribute("data-layer"));
        Assert.Equal((x, y), (int.Parse(readout.GetAttribute("data-x")!), int.Parse(readout.GetAttribute("data-y")!)));
        double expected = truth[y, x];
        var shown = Regex.Match(readout.Text, @"\]\s+(\S+)");
        Assert.True(shown.Success, $"readout '{readout.Text}' has no value");
        double value = double.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture);
        // The readout prints 6 significant digits of the float32 pixel.
        Assert.True(Math.Abs(value - expected) <= 1e-5 * Math.Max(Math.Abs(expected), 1e-3), $"{report}: readout '{readout.Text}' but {fits}[{y}, {x}] = {expected:R}");

        // Switching the stretch redraws the canvas with other pixels.
        string Pixels() => (string)js.ExecuteScript("return arguments[0].toDataURL();", canvas)!;
        string before = Pixels();
        new SelectElement(viewer.FindElement(By.CssSelector("select.sv-stretch"))).SelectByText("linear");
        Assert.NotEqual(before, Pixels());

        // Screenshots: the viewer's canvas at its stated display size, and the page at the window's width; neither blank.
        var dir = Scorpio.Tests.TestPaths.TempDir("screenshots");
        string name = report.Replace('/', '_').Replace(".html", "");
        string shot = Path.Combine(dir, name + "_viewer.png");
        ((ITakesScreenshot)canvas).GetScreenshot().SaveAsFile(shot);
        using (var bmp = SKBitmap.Decode(shot))
        {
            Assert.Equal((size.Width, size.Height), (bmp.Width, bmp.Height));
            Assert.True(bmp.Width >= 320, $"the viewer draws the image {bmp.Width} px wide, below the 320 px it promises");
            Assert.True(Distinct(bmp) >= 20, $"{shot}: the viewer canvas looks blank ({Distinct(bmp)} colours)");
        }
        string page = Path.Combine(dir, name + "_page.png");
        web.GetScreenshot().SaveAsFile(page);
        using (var bmp = SKBitmap.Decode(page))
        {
            Assert.Equal(1400, bmp.Width);
            Assert.True(Distinct(bmp) >= 50, $"{page}: the page looks blank ({Distinct(bmp)} colours)");
        }

        // Nothing went wrong in the page's scripts.
        var errors = web.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, $"{report}: console errors:\n{string.Join("\n", errors)}");
    }

    private static int Distinct(SKBitmap bmp)
    {
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bmp.Height; y += 2)
            for (int x = 0; x < bmp.Width; x += 2)
                colours.Add(bmp.GetPixel(x, y));
        return colours.Count;
    }
}
