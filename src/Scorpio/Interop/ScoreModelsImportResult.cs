using Scorpio.Training;

namespace Scorpio.Interop;

/// <summary>What an import read and wrote.</summary>
/// <param name="Checkpoint">The state-dict file read.</param>
/// <param name="HyperparametersFile">The hyperparameter JSON read.</param>
/// <param name="Layout">The score_models layout the file follows (0.5 or 0.6).</param>
/// <param name="Config">The run configuration written to config.json.</param>
/// <param name="Tensors">Tensors imported.</param>
/// <param name="Parameters">Scalars imported (parameters and the Fourier frequencies).</param>
/// <param name="Notes">Notices (ignored keys, converted dtypes, defaults taken).</param>
public sealed record ScoreModelsImportResult(string Checkpoint, string HyperparametersFile, string Layout, RunConfig Config,
    int Tensors, long Parameters, IReadOnlyList<string> Notes);
