namespace Scorpio.Posterior;

/// <summary>A registered posterior method: its name, a line for help texts, and how to make one from the settings.</summary>
public sealed record PosteriorMethodDefinition(string Name, string Description, Func<PosteriorSettings, IPosteriorMethod> Create);
