namespace Scorpio.Eval;

/// <summary>The experiments, in the order of docs/RESULTS.md.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } = new IExperiment[]
    {
        new Experiments.JwstOneOverFExperiment(),
        new Experiments.GalaxyGenerationExperiment(),
        new Experiments.TrailInpaintingExperiment(),
        new Experiments.DeconvolutionExperiment(),
        new Experiments.HallucinationExperiment(),
        new Experiments.CalibrationExperiment(),
    };

    public static IExperiment Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new Scorpio.Astro.UserInputException($"unknown experiment '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}");
}
