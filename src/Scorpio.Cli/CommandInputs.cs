using System.Globalization;
using Scorpio.Astro;
using Scorpio.Astro.Simulation;

namespace Scorpio.Cli;

/// <summary>
/// Parsing helpers shared by several commands (flag values that are not plain numbers: sizes, axes, noise kinds, lists).
/// Reading files is the library's <see cref="Data.ImageInputs"/>.
/// </summary>
internal static class CommandInputs
{
    /// <summary><paramref name="value"/> when it is at least 1; otherwise an error naming <paramref name="flag"/>.</summary>
    public static int Positive(int value, string flag) =>
        value >= 1 ? value : throw new UserInputException($"{flag} must be positive (got {value})");

    /// <summary>HEIGHTxWIDTH in pixels, e.g. 256x2048.</summary>
    public static (int H, int W) ParseSize(string text, string flag)
    {
        var parts = text.ToLowerInvariant().Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int h)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int w) && h > 0 && w > 0)
            return (h, w);
        throw new UserInputException($"{flag} '{text}': expected HEIGHTxWIDTH in pixels, e.g. 256x2048");
    }

    /// <summary>white, 1f or darks.</summary>
    public static NoiseKind ParseNoise(string text, string flag)
    {
        try { return NoiseSimulator.ParseKind(text); }
        catch (ArgumentException e) { throw new UserInputException($"{flag}: {e.Message}"); }
    }

    /// <summary>y (columns: vertical stripes) or x (rows).</summary>
    public static ReadoutAxis ParseAxis(string text, string flag) => text.Trim().ToLowerInvariant() switch
    {
        "y" or "columns" => ReadoutAxis.Y,
        "x" or "rows" => ReadoutAxis.X,
        _ => throw new UserInputException($"{flag} '{text}': use y (columns, vertical stripes) or x (rows)"),
    };

    /// <summary>A comma-separated list, entries trimmed, empty ones dropped.</summary>
    public static string[] Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A number as written into headers and CSV files (6 significant digits, invariant culture).</summary>
    public static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
