using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Networks;

namespace Scorpio.Training;

/// <summary>
/// Command-line choices that override a configuration file (null = not given). Precedence:
/// built-in defaults, then the <c>--config</c> file, then the preset (or the architecture's
/// CPU default when only <c>--arch</c> is given), then the individual flags.
/// </summary>
public sealed record ConfigOverrides
{
    public long? Seed { get; init; }
    public string? Sde { get; init; }
    public string? Arch { get; init; }
    /// <summary>cpu, tiny, ncsnpp-paper, ddpm-ho-paper, astroddpm-paper or astroddpm-cpu (Scorpio.Networks.NetworkPresets).</summary>
    public string? Preset { get; init; }
    public int? Width { get; init; }
    public int? Steps { get; init; }
    public int? Batch { get; init; }
    public double? Lr { get; init; }
    public double? Ema { get; init; }
    public int? Warmup { get; init; }
    public double? GradClip { get; init; }
    public string? Loss { get; init; }
    public string? Normalize { get; init; }
    public double? ClipMax { get; init; }
    public double? AsinhScale { get; init; }
    public int? Shift { get; init; }
    public bool? Flip { get; init; }
    public bool? Rot90 { get; init; }
    public bool? Crop { get; init; }
    public int? CheckpointEvery { get; init; }

    /// <summary>The normalisation of a noise model when none is given (<c>scorpio train-noise</c>).</summary>
    public const string NoiseModelNormalization = "standardize";

    /// <summary>
    /// These overrides for a noise model (<c>scorpio train-noise</c>): normalisation <see cref="NoiseModelNormalization"/> unless one is
    /// given, and never rotated (1/f stripes run along the detector's fast-read axis).
    /// </summary>
    public ConfigOverrides ForNoiseModel() => this with { Normalize = Normalize ?? NoiseModelNormalization, Rot90 = false };

    /// <summary>
    /// The options of a new training run on <paramref name="dataPaths"/>, as <c>scorpio train</c> builds them: the data are loaded
    /// (as vectors only for the mlp architecture) and these overrides applied to <paramref name="baseConfig"/> (default: the built-in
    /// defaults) for the data's channels and image side, or <paramref name="imageSize"/> when given. The loaded data are the result's
    /// <see cref="TrainingOptions.Data"/>, which <see cref="Trainer.Run"/> does not dispose: the caller disposes them after training.
    /// </summary>
    public TrainingOptions NewRun(string outDir, IReadOnlyList<string> dataPaths, RunConfig? baseConfig = null, int? imageSize = null)
    {
        var config = baseConfig ?? new RunConfig();
        string arch = Arch ?? (Preset is null ? config.Network.Arch : null) ?? "ncsnpp";
        var data = DatasetLoader.Load(dataPaths, allowVectors: NetworkConfig.IsVectorArch(arch));
        try
        {
            var shape = data.SampleShape;
            bool images = shape.Length == 3;
            var effective = Apply(config, images ? imageSize ?? shape[1] : config.Network.ImageSize, shape[0]);
            return new TrainingOptions { OutDir = outDir, Config = effective, Data = data, ImageSize = images ? imageSize : null };
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The effective configuration for images of side <paramref name="imageSize"/> with
    /// <paramref name="channels"/> bands (presets depend on both, e.g. DDPM's attention resolutions).
    /// </summary>
    public RunConfig Apply(RunConfig c, int imageSize, int channels)
    {
        var network = c.Network;
        string? preset = Preset ?? Arch switch
        {
            "ncsnpp" when c.Network.Arch != "ncsnpp" => "cpu",
            "ddpm" when c.Network.Arch != "ddpm" => "ddpm-cpu",
            _ => null,
        };
        if (preset is not null)
        {
            try { network = NetworkPresets.ByName(preset, imageSize, channels); }
            catch (ArgumentException e) { throw new UserInputException(e.Message); }
        }
        if (Arch is not null)
        {
            if (!NetworkFactory.Architectures.Contains(Arch))
                throw new UserInputException($"unknown --arch '{Arch}': use one of {string.Join(", ", NetworkFactory.Architectures)}");
            if (Preset is not null && network.Arch != Arch)
                throw new UserInputException($"--preset {Preset} is a {network.Arch} network but --arch {Arch} was given; drop one of them");
            network = network with { Arch = Arch };
        }
        network = network with { ImageSize = imageSize, InChannels = channels };
        if (Width is int w) network = network with { Width = w };

        var t = c.Training;
        var augment = t.Augment with
        {
            Shift = Shift ?? t.Augment.Shift,
            Flip = Flip ?? t.Augment.Flip,
            Rot90 = Rot90 ?? t.Augment.Rot90,
            Crop = Crop ?? t.Augment.Crop,
        };
        t = t with
        {
            Steps = Steps ?? t.Steps,
            Batch = Batch ?? t.Batch,
            Lr = Lr ?? t.Lr,
            Ema = Ema ?? t.Ema,
            Warmup = Warmup ?? t.Warmup,
            GradClip = GradClip ?? t.GradClip,
            Loss = Loss ?? (Sde is not null && Sde != c.Sde.Name ? null : t.Loss),
            CheckpointEvery = CheckpointEvery ?? t.CheckpointEvery,
            Augment = augment,
        };
        var norm = c.Normalization with
        {
            // The analytic Gaussian prior is fitted in standardised units unless told otherwise (clipping would distort the fit).
            Kind = Normalize ?? (Arch == GaussianPriorNetwork.Arch ? "standardize" : c.Normalization.Kind),
            ClipMax = ClipMax ?? c.Normalization.ClipMax,
            AsinhScale = AsinhScale ?? c.Normalization.AsinhScale,
        };
        var sde = Sde is not null && Sde != c.Sde.Name ? new SdeConfig { Name = Sde } : c.Sde;
        var result = c with { Seed = Seed ?? c.Seed, Network = network, Training = t, Normalization = norm, Sde = sde };
        RunConfigResolver.Validate(result);
        return result;
    }
}
