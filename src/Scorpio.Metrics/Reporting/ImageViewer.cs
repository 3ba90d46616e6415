using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// An interactive, offline image viewer for an HTML report: named layers (truth, observation, posterior median, std,
/// z-score, samples, ...) embedded as float32 arrays in physical units, drawn by a small inline script (no network,
/// works from file://). The reader hovers to read a pixel's value and unit, switches the stretch (linear, asinh, log,
/// zscale) and the limits, blinks or swipes between two layers and plays the posterior samples as an animation. Layers
/// of one group (e.g. "signal": truth, observation, median, samples) share display limits, taken from the group's
/// reference layer (its first unless one is marked), so they compare by eye. Pixel (x, y) is column x, row y counted from 0 at the top left, as in numpy.
/// </summary>
public sealed class ImageViewer
{
    private readonly List<(string Name, ImageData Plane, string Group, string? Unit, ColorMap Map, bool Sample, bool Reference)> _layers = new();

    /// <summary>Starts a viewer titled <paramref name="title"/>.</summary>
    public ImageViewer(string title) { Title = title; }

    /// <summary>Heading shown above the viewer.</summary>
    public string Title { get; }
    /// <summary>The stretch shown first: linear, asinh, log or zscale.</summary>
    public string Stretch { get; init; } = "asinh";
    /// <summary>asinh softening (as <see cref="Astro.Imaging.Stretch.Asinh"/>).</summary>
    public double Softening { get; init; } = 0.1;
    /// <summary>Smallest side of the drawn image in screen pixels (small stamps are enlarged by whole pixels).</summary>
    public int MinDisplayPixels { get; init; } = 320;

    /// <summary>The layers' names, in order.</summary>
    public IReadOnlyList<string> LayerNames => _layers.Select(l => l.Name).ToList();

    /// <summary>Adds a layer: an (H, W) image (the first plane of a cube) in <paramref name="unit"/>.</summary>
    /// <param name="group">layers of one group share limits; the group's first layer sets them.</param>
    /// <param name="cmap">colour map (grey by default; <see cref="ColorMap.Diverging"/> gives the group limits symmetric about 0).</param>
    /// <param name="sample">a posterior sample: the viewer's player steps through these.</param>
    /// <param name="reference">this layer sets its group's limits (else the group's first layer does).</param>
    public ImageViewer Add(string name, ImageData image, string group = "signal", string? unit = null, ColorMap? cmap = null, bool sample = false, bool reference = false)
    {
        if (image.Rank < 2) throw new ArgumentException($"viewer layer '{name}': an image needs (H, W), got ({string.Join(",", image.Shape)})");
        _layers.Add((name, image.Rank == 2 ? image : image.Plane(0), group, unit, cmap ?? ColorMap.Gray, sample, reference));
        return this;
    }

    /// <summary>The viewer's HTML block (needs <see cref="Script"/> and <see cref="Css"/> once in the page; <see cref="HtmlReport"/> adds them).</summary>
    public string Html()
    {
        if (_layers.Count == 0) throw new InvalidOperationException($"viewer '{Title}' has no layers");
        var first = _layers[0].Plane;
        int side = Math.Max(first.Width, first.Height);
        int display = side >= MinDisplayPixels ? Math.Min(side, 768) : side * (int)Math.Ceiling((double)MinDisplayPixels / side);
        var groups = new JsonObject();
        foreach (var g in _layers.GroupBy(l => l.Group))
        {
            var reference = g.FirstOrDefault(l => l.Reference, g.First());
            groups[g.Key] = reference.Map == ColorMap.Diverging ? AllStretches(Astro.Imaging.Stretch.Symmetric(99).Limits(reference.Plane.Data)) : Limits(reference.Plane.Data);
        }
        var maps = new JsonObject();
        foreach (var m in _layers.Select(l => l.Map).Distinct())
            maps[Key(m)] = new JsonObject
            {
                ["anchors"] = new JsonArray(m.Anchors.Select(a => (JsonNode)new JsonArray(a.R, a.G, a.B)).ToArray()),
                ["nan"] = new JsonArray(m.NanColor.R, m.NanColor.G, m.NanColor.B),
            };
        var spec = new JsonObject
        {
            ["display"] = display, ["stretch"] = Stretch, ["softening"] = Softening, ["logA"] = 1000,
            ["groups"] = groups, ["colormaps"] = maps,
            ["samples"] = new JsonArray(_layers.Select((l, i) => (l, i)).Where(t => t.l.Sample).Select(t => (JsonNode)t.i).ToArray()),
            ["layers"] = new JsonArray(_layers.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name, ["unit"] = l.Unit, ["group"] = l.Group, ["cmap"] = Key(l.Map),
                ["w"] = l.Plane.Width, ["h"] = l.Plane.Height, ["data"] = Base64(l.Plane.Data),
            }).ToArray()),
        };
        // The default encoder escapes <, > and &, so no layer name can close the script element.
        return $"<div class=\"sv\"><h3>{System.Net.WebUtility.HtmlEncode(Title)}</h3><script type=\"application/json\" class=\"sv-data\">{spec.ToJsonString()}</script></div>\n";
    }

    /// <summary>The viewer's script (inline it once per page).</summary>
    public static string Script => Resource("viewer.js");
    /// <summary>The viewer's style sheet.</summary>
    public static string Css => Resource("viewer.css");

    private static JsonObject Limits(float[] data) => new()
    {
        ["linear"] = Pair(Astro.Imaging.Stretch.Percentile(0.5, 99.5).Limits(data)),
        ["asinh"] = Pair(Astro.Imaging.Stretch.Asinh().Limits(data)),
        ["log"] = Pair(Astro.Imaging.Stretch.Log().Limits(data)),
        ["zscale"] = Pair(Astro.Imaging.Stretch.ZScale().Limits(data)),
    };

    private static JsonObject AllStretches((double, double) limits) => new()
    {
        ["linear"] = Pair(limits), ["asinh"] = Pair(limits), ["log"] = Pair(limits), ["zscale"] = Pair(limits),
    };

    private static JsonArray Pair((double Low, double High) l) => new(l.Low, l.High);

    private static string Key(ColorMap m) => m == ColorMap.Viridis ? "viridis" : m == ColorMap.Diverging ? "diverging" : m == ColorMap.Gray ? "gray" : m.Name;

    private static string Base64(float[] data)
    {
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length); // little-endian on every platform .NET runs Scorpio on, as Float32Array reads it
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the viewer embeds little-endian float32");
        return Convert.ToBase64String(bytes);
    }

    private static string Resource(string name)
    {
        using var s = typeof(ImageViewer).Assembly.GetManifestResourceStream("Scorpio.Metrics.Viewer." + name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from Scorpio.Metrics");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
