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
/// file is written atomically (temporary file, then rename), and summary.json last: it marks the folder complete. A run that
/// fails removes the products it had written, and a folder without summary.json (a killed run) is incomplete.
/// </summary>
public static class PosteriorFiles
{
    /// <summary>The files inpaint and transfer write (<see cref="WriteSamples"/> and summary.json).</summary>
    public static readonly IReadOnlyList<string> SampleProducts = ["samples.fits", "median.fits", "preview.png", "summary.json"];

    /// <summary>
    /// Creates <paramref name="dir"/> (and parents); a path that is a file is a user error. A summary.json left by an earlier
    /// run is removed first, so that it cannot mark this run's products complete before this run has finished.
    /// </summary>
    public static string PrepareDirectory(string dir)
    {
        if (File.Exists(dir)) throw new InvalidSettingException("out", $"{dir} is a file; give a folder for the outputs");
        Directory.CreateDirectory(dir);
        File.Delete(Path.Combine(dir, "summary.json"));
        return dir;
    }

    /// <summary>
    /// Refuses samples holding NaN or infinite values (a diverged sampler), before anything is written: the run is reported
    /// as failed, naming <paramref name="what"/> ("posterior samples") and the output folder.
    /// </summary>
    public static void CheckFinite(Tensor samples, string what, string dir)
    {
        using var scope = torch.NewDisposeScope();
        var perSample = samples.IsFinite().LogicalNot().Flatten(1).To(DType.Float64).Sum(1);
        long n = (long)perSample.Gt(0.0).To(DType.Float64).Sum().ToDouble();
        if (n == 0) return;
        throw new UserInputException($"{what}: {n} of {samples.Size(0)} samples contain NaN or infinite values (the sampler diverged), so nothing was written to {dir}; " +
            "try more --steps, check the observation, PSF and noise for extreme values, or report it with the command line");
    }

    /// <summary>
    /// Removes the products a failed run wrote into <paramref name="dir"/> (failures to remove are ignored: the error that
    /// stopped the run is what counts) and, when <paramref name="error"/> is a full disk, throws the message that says so.
    /// </summary>
    internal static void RemovePartial(string dir, IEnumerable<string> files, Exception? error = null)
    {
        foreach (var f in files)
        {
            try { File.Delete(Path.Combine(dir, f)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        if (DiskFull.Is(error))
            throw DiskFull.Error(error is DiskFullException full ? full.Path : dir, error,
                $"nothing was kept in {dir} (a run's products are written whole or not at all): free space there or choose another folder");
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
        var files = new List<string>();
        try
        {
            WriteImage(Path.Combine(dir, "samples.fits"), samples, header, $"{samples.Size(0)} {what} samples");
            files.Add("samples.fits");
            WriteImage(Path.Combine(dir, "median.fits"), median, header, $"median of the {what} samples");
            files.Add("median.fits");
            var panels = new List<PreviewPanel> { new("input", input), new("median", median) };
            for (int k = 0; k < Math.Min(3, samples.Size(0)); k++) panels.Add(new($"sample {k}", samples.Select(0, k)));
            PreviewImage.Write(Path.Combine(dir, "preview.png"), panels);
            files.Add("preview.png");
            return files;
        }
        catch (Exception e)
        {
            RemovePartial(dir, files, e);
            throw;
        }
    }

    /// <summary>
    /// Adds summary.json to <paramref name="files"/>, records the list as the summary's last key "files", writes summary.json;
    /// when that fails, the products are removed, so a folder never holds them without their summary.
    /// </summary>
    internal static PosteriorResult Finish(string dir, List<string> files, JsonObject summary)
    {
        files.Add("summary.json");
        summary["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray());
        try { WriteSummary(Path.Combine(dir, "summary.json"), summary); }
        catch (Exception e)
        {
            RemovePartial(dir, files, e);
            throw;
        }
        return new PosteriorResult(dir, files, summary);
    }

    /// <summary>A JSON number, or null for NaN/infinity/absent.</summary>
    public static JsonNode? Number(double? value) => value is double v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
