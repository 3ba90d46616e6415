using Scorpio.Astro.Fits;
using Scorpio.Training;

namespace Scorpio.Eval;

/// <summary>
/// The galaxy prior shared by the galaxy experiments (generation, inpainting, deconvolution,
/// hallucination, calibration): 32x32 stamps of simulated galaxies, EDM, in the simulator's flux units.
/// Full runs use the committed models/eval-galaxy-prior when present (how it was trained: its README),
/// else models/demo-prior; smoke runs train a tiny one (width 8, a few steps) once per smoke run.
/// </summary>
public static class GalaxyPrior
{
    /// <summary>Image side of the prior, pixels.</summary>
    public const int ImageSize = 32;
    /// <summary>The smoke prior's training set: this many simulated galaxies with this pixel noise (seed: the run's).</summary>
    public const int SmokeCount = 64;
    public const double SmokeNoiseSigma = 0.005;

    /// <summary>The run folder of the prior to use (read-only: copy it before continuing its training).</summary>
    public static string Get(ExperimentContext ctx)
    {
        if (!ctx.Smoke)
        {
            foreach (var name in new[] { "eval-galaxy-prior", "demo-prior" })
            {
                var p = Path.Combine(ctx.RepoRoot, "models", name);
                if (File.Exists(Path.Combine(p, "model.safetensors"))) return p;
            }
            throw new Scorpio.Astro.UserInputException("no galaxy prior in models/ (eval-galaxy-prior or demo-prior)");
        }
        var run = Path.Combine(ctx.RepoRoot, "eval", "work", "smoke-galaxy-prior");
        if (File.Exists(Path.Combine(run, "model.safetensors"))) return run;
        var data = Path.Combine(ctx.RepoRoot, "eval", "work", "smoke-galaxies.fits");
        ctx.Step("training the tiny smoke galaxy prior");
        FitsFile.Write(data, ctx.SimulateGalaxies(SmokeCount, ImageSize, SmokeNoiseSigma, ctx.Seed));
        ctx.Train(new ConfigOverrides { Sde = "edm", Preset = "tiny", Width = 8, Steps = 20, Batch = 8, Seed = ctx.Seed }, data, run);
        return run;
    }
}
