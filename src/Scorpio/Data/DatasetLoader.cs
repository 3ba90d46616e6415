using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;
using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Reads training data into one tensor. Inputs:
/// <list type="bullet">
/// <item>a FITS or .npy file given directly is a STACK: (N, H, W) becomes (N, 1, H, W), (N, C, H, W)
/// stays, a single (H, W) image becomes (1, 1, H, W); a 2-D .npy (N, D) is a set of vectors when
/// vectors are allowed (mlp networks);</item>
/// <item>a folder holds single IMAGES, each (H, W) or (C, H, W), read in name order (.fits, .fit, .fts,
/// .fits.gz, .npy); all must have the same shape.</item>
/// </list>
/// Non-finite pixels are refused with the file and count; so are empty folders and mixed sizes.
/// </summary>
public static class DatasetLoader
{
    private static readonly string[] FitsSuffixes = [".fits", ".fit", ".fts", ".fits.gz", ".fit.gz", ".fts.gz", ".fz"];

    /// <summary>True for the file names read as FITS (.fits, .fit, .fts, gzipped, or tile-compressed .fz).</summary>
    internal static bool IsFitsPath(string path) => FitsSuffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Loads <paramref name="paths"/> (files and folders, in order) into one CPU tensor.</summary>
    public static TrainingDataset Load(IReadOnlyList<string> paths, bool allowVectors = false)
    {
        if (paths.Count == 0) throw new UserInputException("no training data given: pass --data FILE_OR_FOLDER (FITS cubes, folders of FITS images, or .npy arrays)");
        var parts = new List<(ImageData Data, string Source)>();
        var sources = new List<string>();
        foreach (var p in paths)
        {
            var full = Path.GetFullPath(p);
            if (Directory.Exists(full))
            {
                var files = Directory.EnumerateFiles(full).Where(IsDataFile).OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                    throw new UserInputException($"{p}: the folder holds no training images (looked for {string.Join(", ", FitsSuffixes)}, .npy)");
                foreach (var f in files)
                {
                    var img = Read(f);
                    parts.Add((AsImageStack(img, f), f));
                    sources.Add(f);
                }
            }
            else if (File.Exists(full))
            {
                if (!IsDataFile(full)) throw new UserInputException($"{p}: not a FITS or .npy file (expected one of {string.Join(", ", FitsSuffixes)}, .npy)");
                var img = Read(full);
                parts.Add((AsStack(img, full, allowVectors), full));
                sources.Add(full);
            }
            else throw new UserInputException($"training data not found: {p}");
        }
        return new TrainingDataset(Concatenate(parts), sources);
    }

    private static bool IsDataFile(string f)
    {
        var name = f.ToLowerInvariant();
        return name.EndsWith(".npy") || FitsSuffixes.Any(name.EndsWith);
    }

    private static ImageData Read(string file)
    {
        var img = file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Read(file) : FitsFile.Read(file);
        CheckFinite(img, file);
        return img;
    }

    private static void CheckFinite(ImageData img, string file)
    {
        long bad = 0, first = -1;
        var d = img.Data;
        for (long i = 0; i < d.LongLength; i++)
            if (!float.IsFinite(d[i])) { bad++; if (first < 0) first = i; }
        if (bad == 0) return;
        throw new UserInputException(
            $"{file}: {bad} NaN or infinite pixel(s) of {d.LongLength} (first at {Where(img.Shape, first)}). " +
            "Training data must be finite: replace them (mask and fill with the local median or 0) or cut the affected images/region before training.");
    }

    private static string Where(int[] shape, long flat)
    {
        var idx = new long[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--) { idx[k] = flat % shape[k]; flat /= shape[k]; }
        return "index (" + string.Join(", ", idx) + ")";
    }

    // A file in a folder is one image: (H, W) -> (1, 1, H, W), (C, H, W) -> (1, C, H, W).
    private static ImageData AsImageStack(ImageData img, string file) => img.Rank switch
    {
        2 => img.Reshape(1, 1, img.Shape[0], img.Shape[1]),
        3 => img.Reshape(1, img.Shape[0], img.Shape[1], img.Shape[2]),
        _ => throw new UserInputException($"{file}: a file in a training folder must be one image (H, W) or (C, H, W); it has shape ({string.Join(", ", img.Shape)}). Pass cubes as files, not folders."),
    };

    // A file given directly is a stack of samples.
    private static ImageData AsStack(ImageData img, string file, bool allowVectors) => img.Rank switch
    {
        2 when allowVectors => img,
        2 => img.Reshape(1, 1, img.Shape[0], img.Shape[1]),
        3 => img.Reshape(img.Shape[0], 1, img.Shape[1], img.Shape[2]),
        4 => img,
        _ => throw new UserInputException($"{file}: expected a cube (N, H, W), a stack (N, C, H, W) or an image (H, W); it has shape ({string.Join(", ", img.Shape)})"),
    };

    private static Tensor Concatenate(List<(ImageData Data, string Source)> parts)
    {
        var first = parts[0];
        var sampleShape = first.Data.Shape.Skip(1).ToArray();
        long total = 0;
        foreach (var (data, source) in parts)
        {
            var s = data.Shape.Skip(1).ToArray();
            if (!s.SequenceEqual(sampleShape))
                throw new UserInputException(
                    $"{source}: its images have shape ({string.Join(", ", s)}) but {first.Source} has ({string.Join(", ", sampleShape)}); " +
                    "all training images must have the same size and channel count (cut or resample them first)");
            total += data.Shape[0];
        }
        if (total == 0) throw new UserInputException($"{first.Source}: the data holds no samples");
        long per = sampleShape.Aggregate(1L, (a, b) => a * b);
        if (total * per > Array.MaxLength) throw new UserInputException($"the training data ({total} samples of {per} values) is too large to hold in memory at once; use fewer or smaller images");
        var all = new float[total * per];
        long offset = 0;
        foreach (var (data, _) in parts)
        {
            Array.Copy(data.Data, 0, all, offset, data.Data.LongLength);
            offset += data.Data.LongLength;
        }
        return torch.FromArray(all, new long[] { total }.Concat(sampleShape.Select(s => (long)s)).ToArray());
    }
}
