using System.Text.Json;
using System.Text.Json.Serialization;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;

namespace Scorpio.NoiseModels;

/// <summary>
/// How a noise model was trained (noise_model.json in its run folder, next to config.json): the perturbation kernel (plain
/// DSM, or the modified kernel with a forward model), the PSF file and sampling, the pooling factor, the regulariser and the
/// pixel-ratio correction. <c>scorpio posterior --noise-model</c> reads it to warn when the posterior's forward model differs.
/// </summary>
public sealed record NoiseModelInfo
{
    public const string FileName = "noise_model.json";

    /// <summary>"plain" (A = identity) or "modified" (N(mu eta_0, sigma^2 A A^T)).</summary>
    public string Kernel { get; init; } = "plain";
    public string? Psf { get; init; }
    public int? PsfSupersample { get; init; }
    public int Pool { get; init; } = 1;
    public double Regulariser { get; init; } = CirculantNoiseKernel.DefaultRegulariser;
    public bool PixelRatioCorrection { get; init; } = true;
    public string Operator { get; init; } = "identity";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Save(string runDir) => AtomicFile.WriteAllText(Path.Combine(runDir, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The info of a noise run, or null when the folder has none (a model trained with plain <c>scorpio train</c>).</summary>
    public static NoiseModelInfo? Load(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<NoiseModelInfo>(SettingsText.Read(path, "a noise-model description"), Json); }
        catch (JsonException e) { throw new UserInputException($"{path}: not a valid noise-model description ({MessageText.OneLine(e.Message, 200)})"); }
    }
}
