using Scorpio.Interop;
using Scorpio.Models;
using Scorpio.Torch;

namespace Scorpio.Tests.Interop;

/// <summary>
/// The fixtures made by tools/interop/make_fixtures.py with score_models itself (0.6 and 0.5, python3-torch 1.13): a
/// score_models model folder per network and expected.safetensors with its inputs and outputs.
/// </summary>
internal static class ScoreModelsFixtures
{
    public static readonly string[] Names = ["ncsnpp_ve", "ncsnpp_vp_plain", "ncsnpp_ve_sum_05", "ddpm_vp", "ddpm_ve_05", "mlp_ve", "mlp_vp_cosine"];

    public static string Folder(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "Scorpio.Tests", "Interop", "Fixtures", name);

    /// <summary>The fixture's arrays (x0, t, xt, net, score, sigma, y, t_denoise, denoised); dispose them.</summary>
    public static Dictionary<string, Tensor> Expected(string name) =>
        Safetensors.Load(Path.Combine(Folder(name), "expected.safetensors")).Tensors;

    /// <summary>Imports fixture <paramref name="name"/> into a fresh run folder and returns its path.</summary>
    public static string Import(string name, int? imageSize = null)
    {
        var run = Path.Combine(TestPaths.TempDir("sm-import-" + name), "run");
        ScoreModelsImport.Run(new ScoreModelsImportRequest { Checkpoint = Folder(name), OutDir = run, ImageSize = imageSize });
        return run;
    }

    /// <summary>max |a - b| over every element.</summary>
    public static double MaxDifference(Tensor a, Tensor b)
    {
        using var d = a.To(DType.Float64).Sub(b.To(DType.Float64));
        using var abs = d.Abs();
        using var m = abs.Max();
        return m.ToDouble();
    }

    public static double MaxAbs(Tensor a)
    {
        using var abs = a.To(DType.Float64).Abs();
        using var m = abs.Max();
        return m.ToDouble();
    }
}
