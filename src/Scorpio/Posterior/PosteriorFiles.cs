using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Writes the products of <c>scorpio posterior</c>, <c>inpaint</c> and <c>transfer</c> into an output folder: FITS images
/// (float32, the observation's header and WCS kept, single-channel axes dropped), summary.json and preview.png. Every
/// file is written atomically (temporary file, then rename).
/// </summary>
public static class PosteriorFiles
{
    /// <summary>Creates <paramref name="dir"/> (and parents); a path that is a file is a user error.</summary>
    public static string PrepareDirectory(string dir)
    {
        if (File.Exists(dir)) throw new InvalidSettingException("out", $"{dir} is a file; give a folder for the outputs");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes an image (C, H, W) or a cube (N, C, H, W) as FITS; C = 1 is written as (H, W) or (N, H, W).</summary>
    public static void WriteImage(string path, Tensor image, FitsHeader? header, string? comment = null)
    {
        using var f = image.To(DType.Float32);
        var shape = f.Shape.Select(s => (int)s).ToList();
        int channelAxis = shape.Count - 3;
        if (channelAxis >= 0 && shape[channelAxis] == 1) shape.RemoveAt(channelAxis);
        var h = header?.Clone() ?? new FitsHeader();
        if (comment is not null) h.Set("SCORPIO", comment, "Scorpio product");
        FitsFile.Write(path, new ImageData(f.ToArray<float>(), [.. shape]), h);
    }

    /// <summary>Writes summary.json (indented, invariant numbers; NaN and infinities as null).</summary>
    public static void WriteSummary(string path, JsonObject summary)
    {
        var text = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        AtomicFile.WriteAllText(path, text + "\n");
    }

    /// <summary>samples.fits, median.fits and preview.png (input, median, up to three samples), for inpaint and transfer.</summary>
    internal static List<string> WriteSamples(string dir, Tensor samples, Tensor median, FitsHeader header, Tensor input, string what)
    {
        WriteImage(Path.Combine(dir, "samples.fits"), samples, header, $"{samples.Size(0)} {what} samples");
        WriteImage(Path.Combine(dir, "median.fits"), median, header, $"median of the {what} samples");
        var panels = new List<PreviewPanel> { new("input", input), new("median", median) };
        for (int k = 0; k < Math.Min(3, samples.Size(0)); k++) panels.Add(new($"sample {k}", samples.Select(0, k)));
        PreviewImage.Write(Path.Combine(dir, "preview.png"), panels);
        return ["samples.fits", "median.fits", "preview.png"];
    }

    /// <summary>Adds summary.json to <paramref name="files"/>, records the list as the summary's last key "files", writes summary.json.</summary>
    internal static PosteriorResult Finish(string dir, List<string> files, JsonObject summary)
    {
        files.Add("summary.json");
        summary["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray());
        WriteSummary(Path.Combine(dir, "summary.json"), summary);
        return new PosteriorResult(dir, files, summary);
    }

    /// <summary>A JSON number, or null for NaN/infinity/absent.</summary>
    public static JsonNode? Number(double? value) => value is double v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
