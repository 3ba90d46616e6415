using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;
using Scorpio.Diffusion;
using Scorpio.Training;

namespace Scorpio.Sampling;

/// <summary>
/// The files of <c>scorpio sample</c>: a FITS cube of the samples in physical units, whose header records how they were
/// drawn (<see cref="Header"/>), and an optional PNG grid of the first <see cref="MaxPreviewTiles"/>. <see cref="Write"/> is
/// meant to be called after every batch (<see cref="PriorSampling"/>'s batchDone): the cube is rewritten atomically, so a
/// killed run leaves a valid file with every finished sample, named and marked as partial (<see cref="PartialPath"/>).
/// </summary>
public static class SampleFiles
{
    /// <summary>At most this many samples go into the PNG grid.</summary>
    public const int MaxPreviewTiles = 64;

    /// <summary>The FITS header of samples drawn from the model in <paramref name="modelPath"/> with <paramref name="options"/>.</summary>
    public static FitsHeader Header(string modelPath, Sde sde, string normalizationKind, PriorSamplingOptions options)
    {
        var sampler = options.Sampler;
        var settings = options.Settings;
        var h = new FitsHeader();
        h.Set("MODEL", Path.GetFullPath(modelPath), "run folder of the score model");
        h.Set("SDE", sde.Name, "forward SDE of the model");
        h.Set("SAMPLER", sampler.Name, "scorpio sampler");
        h.Set("STEPS", SamplerRegistry.Grid(sampler, sde, settings).Length, "time-grid points (noise levels)");
        h.Set("GRID", SamplerRegistry.GridKind(sampler, sde, settings), "time grid");
        h.Set("NFE", PriorSampling.EvaluationsPerBatch(sde, options), "network evaluations per batch of samples");
        h.Set("DENOISE", settings.Denoise, "final Tweedie denoising step");
        if (sampler.Name == "ddim") h.Set("ETA", settings.Eta, "DDIM eta");
        if (sampler.Name == "edm-heun") h.Set("CHURN", settings.Churn, "EDM S_churn");
        if (sampler.Name == "pc") { h.Set("SNR", settings.Snr, "Langevin corrector snr"); h.Set("CORRSTEP", settings.CorrectorSteps, "corrector steps"); }
        h.Set("SEED", options.Seed, "seed of every random draw");
        h.Set("SEEDRULE", "per-sample", "sample k: own generator from (SEED, k); any batch");
        h.Set("NORMKIND", normalizationKind, "normalisation undone before writing");
        h.Set("SCORPVER", RunConfig.CurrentVersion, "Scorpio version");
        h.Set("DATE", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss"), "UTC time of writing");
        h.AddComment("Unconditional samples in the training data's physical units (scorpio sample).");
        return h;
    }

    /// <summary>
    /// Where <see cref="Write"/> keeps the samples of an unfinished run: <c>NAME.partial.fits</c> beside <paramref name="fitsPath"/>,
    /// so that a killed or failed run never leaves a complete-looking file under the requested name.
    /// </summary>
    public static string PartialPath(string fitsPath)
    {
        string ext = Path.GetExtension(fitsPath);
        return (ext.Length > 0 ? fitsPath[..^ext.Length] : fitsPath) + ".partial" + (ext.Length > 0 ? ext : ".fits");
    }

    /// <summary>
    /// Writes the samples finished so far (atomically): while fewer than <paramref name="total"/> are done, to
    /// <see cref="PartialPath"/> with COMPLETE = F, NSAMPLES and NREQUEST in the header; the last call writes
    /// <paramref name="fitsPath"/> with COMPLETE = T and removes the partial file. For images the PNG grid is redrawn (RGB
    /// composite for three bands, grey for one, the first band otherwise). Samples holding NaN or infinite values (a diverged
    /// sampler) are refused: the run fails, and the partial file keeps the samples finished before.
    /// </summary>
    public static void Write(string fitsPath, PriorSamples samples, FitsHeader header, int total, string? pngPath = null, Stretch? stretch = null)
    {
        var cube = samples.ToImageData();
        int firstBad = Array.FindIndex(cube.Data, v => !float.IsFinite(v));
        if (firstBad >= 0)
        {
            int per = Math.Max(1, cube.Data.Length / Math.Max(1, samples.Count));
            throw new UserInputException($"sampling failed: sample {firstBad / per} holds NaN or infinite values (the sampler diverged); " +
                $"{fitsPath} was not written{(File.Exists(PartialPath(fitsPath)) ? $" and {PartialPath(fitsPath)} keeps the samples finished before" : "")}: " +
                "try more --steps or another --sampler");
        }
        bool complete = samples.Count >= total;
        header.Set("NSAMPLES", samples.Count, "samples in this file");
        header.Set("NREQUEST", total, "samples requested");
        header.Set("COMPLETE", complete, complete ? "all requested samples" : "run unfinished: more samples were requested");
        string partial = PartialPath(fitsPath);
        try { FitsFile.Write(complete ? fitsPath : partial, cube, header); }
        catch (DiskFullException e)
        {
            throw DiskFull.Error(e.Path, e, (File.Exists(partial) ? $"{partial} keeps the samples finished before (COMPLETE = F in its header)" : "no samples were kept")
                + $"; {fitsPath} was not written: free space there or choose another --out");
        }
        if (complete && File.Exists(partial)) File.Delete(partial);
        var item = samples.ItemShape;
        if (pngPath is null || item.Length != 3) return;
        int tiles = Math.Min(samples.Count, MaxPreviewTiles), c = item[0], h = item[1], w = item[2];
        var images = new List<ImageData>(tiles);
        for (int i = 0; i < tiles; i++)
        {
            var pixels = samples.Item(i);
            images.Add(c == 3 ? new ImageData(pixels, 3, h, w) : new ImageData(pixels[..(h * w)], h, w));
        }
        Preview.SaveGrid(pngPath, images, stretch ?? Stretch.Asinh(), columns: Math.Min(8, tiles));
    }
}
