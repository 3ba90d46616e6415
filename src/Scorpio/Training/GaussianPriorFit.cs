using System.Diagnostics;
using System.Globalization;
using Scorpio.Astro;
using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// A new run of the gaussian arch: the stationary Gaussian prior (mean image and power spectrum, <see cref="GaussianPriorNetwork.Fit"/>)
/// fitted to the normalised training images in one pass, with no optimiser steps, and written as a normal run folder:
/// config.json and model.safetensors (buffers mean and spectrum), which <see cref="Models.ScoreModel.Load"/> and every
/// command taking a prior read like a trained model. Augmentation does not apply (a fit of whole images).
/// </summary>
internal static class GaussianPriorFit
{
    public static TrainingResult Run(RunFolder folder, RunConfig config, Tensor normalised, ITrainingMonitor? monitor, Stopwatch clock)
    {
        if (config.Training.Augment.Crop)
            throw new InvalidSettingException("crop", "the gaussian arch fits whole images: cut the training images to the model's size instead of cropping");
        monitor?.Note($"fitting a stationary Gaussian prior (arch gaussian, {config.Sde.Name} SDE) in {folder.Path}: no training steps");
        using var network = GaussianPriorNetwork.Fit(config.Network, normalised);
        folder.WriteConfig(config);
        folder.WriteModel(network.StateDict(), config, 0);
        var result = new TrainingResult(TrainingOutcome.Completed, 0, double.NaN, string.Create(CultureInfo.InvariantCulture,
            $"fitted a stationary Gaussian prior to {normalised.Size(0)} images in {folder.Path} (mean image and power spectrum, " +
            $"{config.Normalization.Kind} units; no training steps): model.safetensors holds them"), folder.Path, clock.Elapsed.TotalSeconds);
        monitor?.Finished(result);
        return result;
    }
}
