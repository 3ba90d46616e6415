namespace Scorpio.Astro;

/// <summary>
/// A setting of a library call that is out of range or inconsistent, named by its library parameter (for example
/// <c>count</c>) rather than by a command-line flag: the library does not know how a front end spells it. The CLI maps
/// <see cref="Parameter"/> to its own flag and prints <c>error: --n must be at least 1 (got 0)</c>; library users see
/// <c>count must be at least 1 (got 0)</c>.
/// </summary>
public sealed class InvalidSettingException(string parameter, string problem) : UserInputException($"{parameter} {problem}")
{
    /// <summary>The library parameter (a property or argument name in camelCase, e.g. <c>count</c>, <c>steps</c>).</summary>
    public string Parameter { get; } = parameter;

    /// <summary>What is wrong and how to fix it, phrased to follow the setting's name ("must be at least 1 (got 0)").</summary>
    public string Problem { get; } = problem;

    /// <summary>The message with the setting called <paramref name="name"/> (a flag such as <c>--n</c>).</summary>
    public string MessageFor(string name) => $"{name} {Problem}";
}
