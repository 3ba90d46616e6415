namespace Scorpio.Interop;

/// <summary>What <see cref="ScoreModelsImport.Run"/> reads and writes.</summary>
public sealed record ScoreModelsImportRequest
{
    /// <summary>A score_models model folder (model_hparams.json and checkpoint_*.pt), or one state-dict file (.pt, .safetensors).</summary>
    public required string Checkpoint { get; init; }
    /// <summary>The hyperparameter JSON; default: model_hparams.json in the folder (or beside the file).</summary>
    public string? Hyperparameters { get; init; }
    /// <summary>The Scorpio run folder to write (config.json, model.safetensors); must not hold a run already.</summary>
    public required string OutDir { get; init; }
    /// <summary>Image side recorded for sampling (score_models does not record one); the networks accept any multiple of 2^(levels-1).</summary>
    public int? ImageSize { get; init; }
    /// <summary>The run's seed (config.json), used by later commands that draw.</summary>
    public long Seed { get; init; }
}
