using System.Text.Json;
using Scorpio.Astro;
using Scorpio.Likelihoods;

namespace Scorpio.Posterior;

/// <summary>
/// Reads an inverse problem from a JSON file (<c>scorpio posterior --problem FILE</c>): several exposures of one scene, each
/// with its own observation, PSF, pooling, shift or warp and noise, inferred jointly. Paths are relative to the file's folder.
/// Keys (see docs/posterior-with-psf.md for an example):
/// <code>
/// { "noiseModel": "runs/noise",            // optional: SLIC for every exposure instead of Gaussian noise
///   "covariance": "auto",                  // Gaussian likelihood form: auto, dense, cg, fourier, diagonal
///   "annealResiduals": false,              // SLIC: annealed residuals
///   "exposures": [
///     { "obs": "exp1.fits", "mask": "bad1.fits", "psf": "psf1.fits", "psfSupersample": 4, "pool": 2,
///       "shift": [0.5, -0.25], "sigma": 0.02 },
///     { "obs": "exp2.fits", "psfModel": "moffat", "psfFwhm": 3.1, "pool": 2, "warp": "coords2.fits", "sigmaMap": "sigma2.fits" } ] }
/// </code>
/// Unknown keys are errors (a typo would otherwise be ignored).
/// </summary>
public static class ProblemFile
{
    private static readonly string[] TopKeys = ["noiseModel", "covariance", "annealResiduals", "exposures"];
    private static readonly string[] ExposureKeys = ["obs", "mask", "psf", "psfModel", "psfFwhm", "psfSupersample", "pool", "scale", "shift", "warp", "sigma", "sigmaMap"];

    public static ProblemSpec Read(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"problem file '{path}' does not exist");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(Astro.DataTools.SettingsText.Read(path, "a problem file"), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new UserInputException($"{path}: not valid JSON ({MessageText.OneLine(e.Message, 200)})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new UserInputException($"{path}: a problem file is a JSON object with an \"exposures\" list");
            CheckKeys(root, TopKeys, $"{path}: ");
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            string? Resolve(string? p) => p is null ? null
                : p.Length == 0 || p.Contains('\0') ? throw new UserInputException($"{path}: the file name {MessageText.Quote(p, 60)} is empty or holds a NUL character")
                : Path.IsPathRooted(p) ? p : Path.Combine(dir, p);
            if (!root.TryGetProperty("exposures", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                throw new UserInputException($"{path}: \"exposures\" must be a non-empty list of exposures");
            var exposures = new List<ExposureSpec>();
            int i = 0;
            foreach (var e in list.EnumerateArray())
            {
                string label = $"{path}: exposures[{i}].";
                if (e.ValueKind != JsonValueKind.Object) throw new UserInputException($"{label[..^1]} must be an object");
                CheckKeys(e, ExposureKeys, label);
                exposures.Add(new ExposureSpec
                {
                    Label = label,
                    ObservationPath = Resolve(String(e, "obs", label)) ?? throw new InvalidSettingException(label + "obs", "is missing: every exposure needs an observation FITS file"),
                    MaskPath = Resolve(String(e, "mask", label)),
                    PsfPath = Resolve(String(e, "psf", label)),
                    PsfModel = String(e, "psfModel", label),
                    PsfFwhm = Number(e, "psfFwhm", label),
                    PsfSupersample = Integer(e, "psfSupersample", label),
                    Pool = Integer(e, "pool", label) ?? 1,
                    Scale = Number(e, "scale", label),
                    Shift = Pair(e, "shift", label),
                    WarpPath = Resolve(String(e, "warp", label)),
                    Sigma = Number(e, "sigma", label),
                    SigmaMapPath = Resolve(String(e, "sigmaMap", label)),
                });
                i++;
            }
            return new ProblemSpec
            {
                Exposures = exposures,
                NoiseModelPath = Resolve(String(root, "noiseModel", $"{path}: ")),
                Form = CovarianceForms.Parse(String(root, "covariance", $"{path}: ") ?? "auto", $"{path}: covariance"),
                Residual = Bool(root, "annealResiduals", $"{path}: ") == true ? SlicResidual.Annealed : SlicResidual.Exact,
                Source = path,
            };
        }
    }

    private static void CheckKeys(JsonElement e, string[] known, string label)
    {
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                throw new UserInputException($"{label}{MessageText.OneLine(p.Name, 60)} is not a known key: use {string.Join(", ", known)}");
    }

    private static string? String(JsonElement e, string key, string label) =>
        !e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new InvalidSettingException(label + key, "must be a string");

    private static double? Number(JsonElement e, string key, string label) =>
        !e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) ? d : throw new InvalidSettingException(label + key, "must be a finite number");

    private static int? Integer(JsonElement e, string key, string label) =>
        !e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) ? n : throw new InvalidSettingException(label + key, "must be a whole number");

    private static bool? Bool(JsonElement e, string key, string label) =>
        !e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new InvalidSettingException(label + key, "must be true or false");

    private static (double, double)? Pair(JsonElement e, string key, string label)
    {
        if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2 || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number))
            throw new InvalidSettingException(label + key, "must be two numbers [dx, dy] in model pixels");
        if (!v[0].TryGetDouble(out double dx) || !v[1].TryGetDouble(out double dy) || !double.IsFinite(dx) || !double.IsFinite(dy))
            throw new InvalidSettingException(label + key, "must be two finite numbers [dx, dy] in model pixels");
        return (dx, dy);
    }
}
