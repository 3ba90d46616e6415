using Scorpio.Astro;
using Scorpio.Metrics.Posterior;

namespace Scorpio.Metrics.Data;

/// <summary>
/// One posterior written by `scorpio posterior`: samples.fits (N,H,W) or (N,C,H,W), and optionally
/// mean.fits, median.fits, std.fits, p16.fits, p84.fits and observation.fits (or .npy variants).
/// Missing summaries are computed from the samples.
/// </summary>
public sealed class PosteriorFolder
{
    /// <summary>Folder name, used as the run's label.</summary>
    public required string Name { get; init; }
    /// <summary>The folder read (empty for a posterior built in memory).</summary>
    public string Dir { get; init; } = "";
    /// <summary>The posterior draws.</summary>
    public required PosteriorSamples Samples { get; init; }
    /// <summary>Per-pixel posterior mean.</summary>
    public required double[] Mean { get; init; }
    /// <summary>Per-pixel posterior median.</summary>
    public required double[] Median { get; init; }
    /// <summary>Per-pixel posterior standard deviation.</summary>
    public required double[] Std { get; init; }
    /// <summary>The observation, when the folder has one.</summary>
    public ImageData? Observation { get; init; }

    /// <summary>Reads <paramref name="dir"/>; errors name the missing or malformed file.</summary>
    public static PosteriorFolder Read(string dir)
    {
        if (!Directory.Exists(dir)) throw new UserInputException($"--posterior: folder {dir} does not exist (expected the output folder of `scorpio posterior`)");
        string samplesPath = Find(dir, "samples") ?? throw new UserInputException($"--posterior: {dir} has no samples.fits (or samples.npy); it must hold the posterior draws as (N,H,W) or (N,C,H,W)");
        var stack = ImageSetReader.ReadFile(samplesPath);
        if (stack.Rank < 3) throw new UserInputException($"{samplesPath}: shape ({string.Join(",", stack.Shape)}) is one image; posterior samples must be (N,H,W) or (N,C,H,W)");
        var samples = new PosteriorSamples(stack);
        double[] Summary(string name, Func<double[]> compute)
        {
            string? p = Find(dir, name);
            if (p == null) return compute();
            var im = ImageSetReader.ReadFile(p);
            if (im.Length != samples.PixelCount)
                throw new UserInputException($"{p}: {im.Length} values but each sample in {samplesPath} has {samples.PixelCount}");
            return im.Data.Select(v => (double)v).ToArray();
        }
        string? obsPath = Find(dir, "observation");
        return new PosteriorFolder
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))),
            Dir = dir,
            Samples = samples,
            Mean = Summary("mean", samples.Mean),
            Median = Summary("median", () => Quantile(samples, 0.5)),
            Std = Summary("std", () => samples.Variance().Select(Math.Sqrt).ToArray()),
            Observation = obsPath == null ? null : ImageSetReader.ReadFile(obsPath),
        };
    }

    /// <summary>Per-pixel quantile <paramref name="q"/> of the draws.</summary>
    public static double[] Quantile(PosteriorSamples s, double q)
    {
        var r = new double[s.PixelCount];
        Parallel.For(0, s.PixelCount, () => new double[s.Count], (p, _, buf) =>
        {
            s.PixelValues(p, buf);
            Array.Sort(buf);
            r[p] = Statistics.Descriptive.QuantileSorted(buf, q);
            return buf;
        }, _ => { });
        return r;
    }

    private static string? Find(string dir, string stem) =>
        new[] { ".fits", ".fit", ".fits.gz", ".npy" }.Select(e => Path.Combine(dir, stem + e)).FirstOrDefault(File.Exists);
}
