using Scorpio.Data;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>What <see cref="Trainer.Run"/> should do.</summary>
public sealed record TrainingOptions
{
    /// <summary>The run folder to create (or, with <see cref="Resume"/>, to continue).</summary>
    public required string OutDir { get; init; }
    /// <summary>Configuration of a new run (defaults + file + flags). Ignored on resume: the run's config.json rules.</summary>
    public RunConfig Config { get; init; } = new();
    /// <summary>Training files and folders; on resume, empty means the sources recorded in config.json.</summary>
    public IReadOnlyList<string> DataPaths { get; init; } = [];
    /// <summary>In-memory training samples in physical units (used instead of <see cref="DataPaths"/>; not disposed).</summary>
    public TrainingDataset? Data { get; init; }
    /// <summary>
    /// The network's image side requested explicitly (--image-size). Null: the data's size
    /// (images must then be square; with crop augmentation a size is required).
    /// </summary>
    public int? ImageSize { get; init; }
    /// <summary>Continue <see cref="OutDir"/> from its checkpoint.</summary>
    public bool Resume { get; init; }
    /// <summary>Total steps (overrides training.steps; on resume the new total to reach).</summary>
    public int? TotalSteps { get; init; }
    /// <summary>Wall-time limit of this call; at the limit a checkpoint is saved and training stops cleanly.</summary>
    public TimeSpan? MaxTime { get; init; }
    /// <summary>Where to train.</summary>
    public Device Device { get; init; } = Device.CPU;
    /// <summary>
    /// A custom objective (e.g. the noise model's modified kernel); null = training.loss or the SDE's default.
    /// Its <see cref="ITrainingLoss.Name"/> is recorded in config.json; give the same objective again on resume.
    /// </summary>
    public ITrainingLoss? Loss { get; init; }
    /// <summary>
    /// The data-parallel job this process is a rank of (<see cref="Distributed.DataParallel.Join"/>), or null for one process.
    /// <see cref="RunConfig"/>'s training.batch is then the global batch; rank 0 alone writes <see cref="OutDir"/> and reports
    /// to <see cref="Monitor"/>. Not disposed here.
    /// </summary>
    public Distributed.DataParallel? Parallel { get; init; }
    /// <summary>Progress and messages; null = silent.</summary>
    public ITrainingMonitor? Monitor { get; init; }
    /// <summary>
    /// Steps between host reads of the losses (and gradient norms): the steps in between run without waiting for the
    /// device. Losses are also read before every checkpoint, at the time limit and at the end, so a non-finite loss is
    /// never saved; loss.csv still gets one line per step.
    /// </summary>
    public int LossReadEvery { get; init; } = 10;
}
