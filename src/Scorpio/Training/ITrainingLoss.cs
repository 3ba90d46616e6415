using Scorpio.Torch;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>
/// A training objective for a <see cref="ScoreModel"/>: given a batch of clean, normalised samples,
/// draw noise levels and noise from the given draws and return the scalar loss to minimise.
/// Pluggable so that other objectives (e.g. the noise model's modified kernel N(mu eta_0, sigma^2 A A^T)
/// of Adam et al. 2023) reuse the same <see cref="Trainer"/>. Every random draw must come from <see cref="BatchDraws"/>
/// (its generator's state is checkpointed, which makes resumed runs bit-identical, and it draws for the global batch, which
/// makes data-parallel runs equal single-process ones). The loss is averaged over <see cref="BatchDraws.GlobalBatch"/>: in
/// data-parallel training each rank returns its share, and the ranks' shares sum to the whole batch's loss.
/// </summary>
public interface ITrainingLoss
{
    /// <summary>Name recorded in config.json (training.loss).</summary>
    string Name { get; }

    /// <summary>The loss of <paramref name="model"/> on <paramref name="x0"/> (B, C, H, W) or (B, D); a 0-d tensor with autograd history.</summary>
    Tensor Compute(ScoreModel model, Tensor x0, BatchDraws draws);
}
