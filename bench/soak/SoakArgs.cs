using System.Globalization;

namespace Scorpio.Bench.Soak;

/// <summary>--name value options of a soak.</summary>
internal sealed class SoakArgs(string[] args)
{
    public string Get(string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public long Long(string name, long fallback) => long.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>The built `scorpio` (this soak references it) and the arguments that run it with `dotnet`.</summary>
    public static string ScorpioDll => Path.Combine(AppContext.BaseDirectory, "scorpio.dll");
}
