using System.Globalization;
using System.Text.Json.Nodes;

namespace Scorpio.Eval;

/// <summary>Reads numbers out of result JSON by dotted path, for headlines rendered from committed results.</summary>
public static class JsonPath
{
    /// <summary>The number at a dotted path ("pooled.replacement.fraction_within_10pct"); NaN when absent.</summary>
    public static double Number(JsonNode? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node)) return double.NaN;
        }
        return Number(node);
    }

    /// <summary>The number a node holds; NaN when it is absent, null or not a number.</summary>
    public static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;

    /// <summary>Three significant digits, invariant culture.</summary>
    public static string Format(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a whole percentage.</summary>
    public static string Percent(double x) => double.IsNaN(x) ? "n/a" : (100 * x).ToString("F0", CultureInfo.InvariantCulture) + "%";
}
