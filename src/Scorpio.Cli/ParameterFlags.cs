using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text;

namespace Scorpio.Cli;

/// <summary>
/// Which flag of a command sets which library parameter, so that an <see cref="Astro.InvalidSettingException"/> thrown by
/// the library ("count must be at least 1") is printed with the flag the user typed ("--n must be at least 1"). Each
/// command declares its own map next to its options (<see cref="MapParameters"/>); a parameter it does not map is looked
/// up as the flag of the same name in kebab case (<c>sigmaMap</c> -> <c>--sigma-map</c>) among the command's options and
/// the global ones; failing that the parameter name itself is printed.
/// </summary>
internal static class ParameterFlags
{
    private static readonly ConditionalWeakTable<Command, Dictionary<string, string>> Maps = new();

    /// <summary>Declares that <paramref name="map"/>'s options set these library parameters on <paramref name="command"/>.</summary>
    public static TCommand MapParameters<TCommand>(this TCommand command, params (string Parameter, Option Option)[] map) where TCommand : Command
    {
        var table = Maps.GetOrCreateValue(command);
        foreach (var (parameter, option) in map) table[parameter] = option.Name;
        return command;
    }

    /// <summary>The flag that sets <paramref name="parameter"/> on <paramref name="command"/> (see the class summary).</summary>
    public static string FlagFor(Command? command, string parameter)
    {
        if (command is not null && Maps.TryGetValue(command, out var map) && map.TryGetValue(parameter, out var flag)) return flag;
        string kebab = "--" + Kebab(parameter);
        var options = (command?.Options ?? []).Concat([GlobalOptions.Device, GlobalOptions.Threads, GlobalOptions.Seed]);
        return options.Any(o => o.Name == kebab || o.Aliases.Contains(kebab)) ? kebab : parameter;
    }

    /// <summary>camelCase to kebab-case: <c>batchSize</c> -> <c>batch-size</c>.</summary>
    internal static string Kebab(string name)
    {
        var s = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && s.Length > 0) s.Append('-');
            s.Append(char.ToLowerInvariant(c));
        }
        return s.ToString();
    }
}
