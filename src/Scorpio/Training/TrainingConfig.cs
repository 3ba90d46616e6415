namespace Scorpio.Training;

/// <summary>
/// Optimisation settings of a run (config.json key <c>training</c>). Defaults are practical on a
/// 2-core CPU; the papers used lr 1e-4, batch 56-128 and EMA 0.999-0.9999 on GPUs (METHODS.md 3).
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Total optimiser steps; <c>--resume</c> continues a run up to this number.</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Images per step.</summary>
    public int Batch { get; init; } = 16;
    /// <summary>Peak learning rate after warm-up.</summary>
    public double Lr { get; init; } = 2e-4;
    /// <summary>adam or adamw.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Adam's decay rate of the first-moment (mean gradient) estimate.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>Adam's decay rate of the second-moment (squared gradient) estimate.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>Adam's epsilon.</summary>
    public double AdamEps { get; init; } = 1e-8;
    /// <summary>L2 (adam) or decoupled (adamw) weight decay.</summary>
    public double WeightDecay { get; init; } = 0.0;
    /// <summary>EMA decay of the weights that sampling uses.</summary>
    public double Ema { get; init; } = 0.999;
    /// <summary>Ramp the EMA decay as min(ema, (1 + n) / (10 + n)) so short runs are not dominated by the random initial weights.</summary>
    public bool EmaWarmup { get; init; } = true;
    /// <summary>Linear learning-rate warm-up length in steps (then constant, so resuming to a larger --steps is exact).</summary>
    public int Warmup { get; init; } = 100;
    /// <summary>Gradient-norm clipping threshold (0 = off).</summary>
    public double GradClip { get; init; } = 1.0;
    /// <summary>dsm, edm, ddpm-l2 or ddpm-l1; null = the SDE's natural loss (edm for EDM, ddpm-l2 for DDPM, dsm otherwise).</summary>
    public string? Loss { get; init; }
    /// <summary>Write checkpoint.safetensors every this many steps (and at the end).</summary>
    public int CheckpointEvery { get; init; } = 500;
    /// <summary>Number of training images used to estimate VE's sigma_max (largest pairwise distance).</summary>
    public int SigmaMaxSubset { get; init; } = 1000;
    /// <summary>Random flips, 90-degree rotations, shifts and crops (config key <c>training.augment</c>).</summary>
    public Scorpio.Data.AugmentationConfig Augment { get; init; } = new();

    /// <summary>The known loss names.</summary>
    public static readonly string[] Losses = ["dsm", "edm", "ddpm-l2", "ddpm-l1"];
}
