using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scorpio.Astro;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// How a galaxy prior's training set was simulated (image count, stamp side, pixel noise sigma in the
/// simulator's flux units, seed) and the prior's clip ceiling A (physical units; Smith et al. 2022 eq. 13: the
/// network never saw pixels above A). Read from the prior's README (its `scorpio simulate galaxies`
/// line) so held-out sets come from the same simulator settings with other seeds, and the training set
/// itself can be re-simulated for the memorisation check.
/// </summary>
public sealed record PriorRecipe(int Count, int Size, double NoiseSigma, long Seed, double ClipCeiling, string Source)
{
    /// <summary>Reads the recipe of <paramref name="priorDir"/>; the tiny smoke prior's is GalaxyPrior's own command.</summary>
    public static PriorRecipe For(string priorDir, ExperimentContext ctx)
    {
        double ceiling = ClipCeilingOf(priorDir);
        var readme = Path.Combine(priorDir, "README.md");
        if (!File.Exists(readme))
        {
            if (!ctx.Smoke) throw new Scorpio.Astro.UserInputException($"{readme} is missing: it must say how the prior's training set was simulated");
            // GalaxyPrior.Get trains the smoke prior on its own simulated set (SmokeCount galaxies, SmokeNoiseSigma, seed ctx.Seed).
            return new PriorRecipe(GalaxyPrior.SmokeCount, GalaxyPrior.ImageSize, GalaxyPrior.SmokeNoiseSigma, ctx.Seed, ceiling, "GalaxyPrior smoke recipe");
        }
        var line = File.ReadLines(readme).FirstOrDefault(l => l.Contains("simulate galaxies"))
            ?? throw new Scorpio.Astro.UserInputException($"{readme} has no `scorpio simulate galaxies` line");
        string Arg(string name, string? fallback = null)
        {
            var m = Regex.Match(line, @"--" + name + @"\s+(\S+)");
            return m.Success ? m.Groups[1].Value : fallback ?? throw new Scorpio.Astro.UserInputException($"{readme}: the simulate line has no --{name}");
        }
        var inv = CultureInfo.InvariantCulture;
        return new PriorRecipe(int.Parse(Arg("n"), inv), int.Parse(Arg("size"), inv), double.Parse(Arg("noise-sigma", "0.01"), inv),
            long.Parse(Arg("seed", "0"), inv), ceiling, Path.GetRelativePath(ctx.RepoRoot, readme));
    }

    /// <summary>A seed for a held-out set: derived from the run seed, never the training seed.</summary>
    public long HeldOutSeed(ExperimentContext ctx, int which)
    {
        long s = ctx.Seed + 1000L * (which + 1) + 7;
        return s == Seed ? s + 1 : s;
    }

    /// <summary>Galaxies simulated with this recipe, another count and seed: (N, Size, Size).</summary>
    public ImageData Simulate(ExperimentContext ctx, int n, long seed) => ctx.SimulateGalaxies(n, Size, NoiseSigma, seed);

    /// <summary>The recipe as JSON for the result file.</summary>
    public JsonObject ToJson() => new()
    {
        ["training_count"] = Count, ["size"] = Size, ["noise_sigma"] = NoiseSigma, ["training_seed"] = Seed,
        ["clip_ceiling_A"] = ClipCeiling, ["read_from"] = Source,
    };

    // normalization.high[0] of config.json (clip normalisation's A), NaN when the prior has none.
    private static double ClipCeilingOf(string priorDir)
    {
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(priorDir, "config.json")));
        var high = cfg?["normalization"]?["high"] as JsonArray;
        return high is { Count: > 0 } && high[0] is { } h ? h.GetValue<double>() : double.NaN;
    }
}
