using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Posterior;
using Scorpio.Training;

namespace Scorpio.NoiseModels;

/// <summary>
/// Trains a noise model (what <c>scorpio train-noise</c> does): plain denoising score matching on noise-only images when A is the
/// identity, else the modified perturbation kernel N(mu eta_0, sigma^2 A A^T) of Adam et al. 2023 (<see cref="ModifiedKernelDsmLoss"/>,
/// with <see cref="CirculantNoiseKernel"/> built for A on the grid the network trains on), and writes
/// <see cref="NoiseModelInfo"/> (noise_model.json) into the run folder. A resumed run must keep its kernel.
/// <para>Use: <c>using var t = NoiseModelTraining.Prepare(options, forward); var result = t.Run();</c>, or
/// <see cref="Train"/> in one call. <see cref="Prepare"/> checks everything before any training starts.</para>
/// </summary>
public sealed class NoiseModelTraining : IDisposable
{
    private readonly CirculantNoiseKernel? _kernel;

    private NoiseModelTraining(TrainingOptions options, NoiseModelInfo info, CirculantNoiseKernel? kernel)
    {
        Options = options;
        Info = info;
        _kernel = kernel;
    }

    /// <summary>The training options, with the modified-kernel loss when A is more than the identity.</summary>
    public TrainingOptions Options { get; }

    /// <summary>How the kernel was built (written to noise_model.json after training).</summary>
    public NoiseModelInfo Info { get; }

    /// <summary>Trains a noise model in one call (see the class summary).</summary>
    public static TrainingResult Train(TrainingOptions options, NoiseForwardModel forward, CancellationToken cancel = default)
    {
        using var training = Prepare(options, forward);
        return training.Run(options.Monitor, cancel);
    }

    /// <summary>
    /// Checks the settings against the data (or, on resume, against the run's recorded kernel and shape) and builds the loss.
    /// Errors name the parameter: <c>pool</c>, <c>psf</c>.
    /// </summary>
    public static NoiseModelTraining Prepare(TrainingOptions options, NoiseForwardModel forward)
    {
        string? psfPath = forward.Psf;
        int pool = forward.Pool;
        string outDir = options.OutDir;
        if (pool < 1) throw new InvalidSettingException("pool", $"must be at least 1 (got {pool})");
        // A resumed run keeps its kernel: the loss must not switch between plain and modified half-way.
        if (options.Resume && NoiseModelInfo.Load(outDir) is { } trained && (trained.Pool != pool || (trained.Psf is null) != (psfPath is null)))
            throw new InvalidSettingException(trained.Pool != pool ? "pool" : "psf",
                $"differs from the run being resumed: {outDir} was trained with the forward model {trained.Operator} " +
                $"(PSF {trained.Psf ?? "none"}, pool {trained.Pool}); resume with the same PSF and pooling");
        if (psfPath is null && pool == 1) return new NoiseModelTraining(options, new NoiseModelInfo(), null);
        // The shape the network trains on: a resumed run's recorded one, else the data's, cut to the image size (crops).
        int[] noiseShape = options.Resume ? new RunFolder(outDir).ReadConfig().Data.Shape
            : options.Data is null ? throw new InvalidSettingException("data", "must be given in memory (TrainingOptions.Data) to build the modified kernel of a new run")
            : options.Data.SampleShape is [int c, _, _] && options.ImageSize is int k ? [c, k, k] : options.Data.SampleShape;
        if (noiseShape.Length != 3)
            throw new InvalidSettingException(psfPath is null ? "pool" : "psf",
                $"needs noise images (C, H, W); these data are vectors of shape ({string.Join(", ", noiseShape)})");
        long[] modelShape = [noiseShape[0], (long)noiseShape[1] * pool, (long)noiseShape[2] * pool];
        using var psfTensor = psfPath is null ? null : ImageInputs.ReadPsf(psfPath, "psf");
        var spec = new ForwardModelSpec { Psf = psfTensor, PsfSource = psfPath, Pool = pool };
        var kernel = new CirculantNoiseKernel(spec.Build(modelShape));
        var info = new NoiseModelInfo
        {
            Kernel = "modified", Psf = psfPath, Pool = pool, Regulariser = kernel.Regulariser,
            PixelRatioCorrection = kernel.PixelRatioCorrection, Operator = spec.Describe(),
        };
        return new NoiseModelTraining(options with { Loss = new ModifiedKernelDsmLoss(kernel) }, info, kernel);
    }

    /// <summary>
    /// Trains (<see cref="Trainer.Run"/>) with <see cref="Options"/> and <paramref name="monitor"/>, then writes noise_model.json
    /// (read by the posterior's learned likelihood and by a later resume) into the run folder.
    /// </summary>
    public TrainingResult Run(ITrainingMonitor? monitor = null, CancellationToken cancel = default)
    {
        var result = Trainer.Run(Options with { Monitor = monitor }, cancel);
        if (Options.Parallel is not { IsMain: false } && Directory.Exists(Options.OutDir)) Info.Save(Options.OutDir);
        return result;
    }

    public void Dispose()
    {
        _kernel?.Dispose();
        _kernel?.Operator.Dispose();
    }
}
