using System.Globalization;
using System.Text;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;

namespace Scorpio.Astro.DataTools;

/// <summary>Per-HDU statistics of a FITS or .npy file, as printed by <c>scorpio data stats</c>.</summary>
public static class DataStats
{
    /// <summary>One row per HDU (FITS) or one row (.npy). Tables and empty HDUs get NaN statistics.</summary>
    public static IReadOnlyList<HduStats> Describe(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"file not found: {path}");
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var a = NpyFile.Read(path);
            var header = NpyFile.ReadHeader(path);
            return new[] { Row(0, null, a.Shape, header.DType.ToString().ToLowerInvariant(), a) };
        }
        var rows = new List<HduStats>();
        foreach (var h in FitsFile.List(path))
        {
            string type = h.Type switch
            {
                FitsHduType.Table => "table",
                FitsHduType.Empty => "empty",
                _ => $"BITPIX {h.Bitpix}" + (h.Compressed ? " (compressed)" : ""),
            };
            rows.Add(h.Type == FitsHduType.Image
                ? Row(h.Index, h.ExtName, h.Shape, type, FitsFile.Read(path, hdu: h.Index))
                : new HduStats(h.Index, h.ExtName, h.Shape, type, double.NaN, double.NaN, double.NaN, double.NaN, 0));
        }
        return rows;
    }

    /// <summary>A fixed-width text table of <paramref name="rows"/>.</summary>
    public static string Format(IReadOnlyList<HduStats> rows)
    {
        static string G(double v) => double.IsNaN(v) ? "-" : v.ToString("G6", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"{"hdu",3} {"extname",-10} {"shape",-14} {"type",-24} {"min",12} {"max",12} {"mean",12} {"median",12} {"nan",8}");
        foreach (var r in rows)
            sb.AppendLine($"{r.Index,3} {r.ExtName ?? "-",-10} {string.Join("x", r.Shape),-14} {r.Type,-24} {G(r.Min),12} {G(r.Max),12} {G(r.Mean),12} {G(r.Median),12} {r.NaNCount,8}");
        return sb.ToString();
    }

    private static HduStats Row(int index, string? ext, int[] shape, string type, ImageData a)
    {
        var s = ImageStats.Summary(a.Data);
        return new HduStats(index, ext, shape, type, s.Min, s.Max, s.Mean, s.Median, s.NaNCount);
    }
}
