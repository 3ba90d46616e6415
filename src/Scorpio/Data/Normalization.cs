using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// A fixed, invertible (or, for per-image min-max, shape-only) map from physical pixel values to
/// the scale the score network is trained on. Tensors are (B, C, H, W) images or (B, D) vectors;
/// per-channel parameters act along axis 1. Built from a fitted <see cref="NormalizationConfig"/>,
/// and serialised back to one with <see cref="ToConfig"/> (config.json).
/// </summary>
public abstract class Normalization
{
    /// <summary>The kind name stored in config.json.</summary>
    public abstract string Kind { get; }

    /// <summary>Physical units to normalised units (a new tensor).</summary>
    public abstract Tensor Forward(Tensor physical);

    /// <summary>Normalised units back to physical units (a new tensor).</summary>
    public abstract Tensor Inverse(Tensor normalised);

    /// <summary>The settings and fitted statistics, for config.json.</summary>
    public abstract NormalizationConfig ToConfig();

    /// <summary>
    /// The exact coefficients of <see cref="Inverse"/> when it is affine and the same for every pixel of a channel:
    /// physical x = Scale[c] z + Offset[c]. Null otherwise (asinh is not linear; per-image min-max scales each image by
    /// its own range); <see cref="NotAffineReason"/> then says why.
    /// </summary>
    /// <param name="channels">the data's channel count (axis 1): the identity takes it, fitted kinds check it.</param>
    public abstract ChannelAffine? InverseAffine(int channels);

    /// <summary>
    /// Why <see cref="InverseAffine"/> is null, worded to follow "the normalisation (kind) ..."; null when it is affine.
    /// </summary>
    public virtual string? NotAffineReason => null;

    /// <summary>
    /// Computes the statistics <paramref name="settings"/> needs from the training data
    /// <paramref name="physical"/> (N, C, H, W) or (N, D) and returns the fitted configuration.
    /// </summary>
    public static NormalizationConfig Fit(NormalizationConfig settings, Tensor physical) => settings.Kind switch
    {
        "clip" => ClipNormalization.Fit(settings, physical),
        "asinh" => AsinhNormalization.Fit(settings, physical),
        "minmax-dataset" => MinMaxDatasetNormalization.Fit(settings, physical),
        "minmax-image" => MinMaxImageNormalization.Fit(settings, physical),
        "standardize" => StandardizeNormalization.Fit(settings, physical),
        "none" => settings,
        _ => throw UnknownKind(settings.Kind),
    };

    /// <summary>Builds the normalisation described by a fitted configuration (from config.json).</summary>
    public static Normalization FromConfig(NormalizationConfig config) => config.Kind switch
    {
        "clip" => new ClipNormalization(config),
        "asinh" => new AsinhNormalization(config),
        "minmax-dataset" => new MinMaxDatasetNormalization(config),
        "minmax-image" => new MinMaxImageNormalization(config),
        "standardize" => new StandardizeNormalization(config),
        "none" => new IdentityNormalization(),
        _ => throw UnknownKind(config.Kind),
    };

    private static UserInputException UnknownKind(string kind) =>
        new($"unknown normalisation '{kind}': use one of {string.Join(", ", NormalizationConfig.Kinds)}");

    /// <summary>Per-channel values as a tensor broadcasting along axis 1 of <paramref name="like"/>.</summary>
    protected static Tensor PerChannel(double[] values, Tensor like)
    {
        var shape = new long[like.Dim];
        Array.Fill(shape, 1L);
        shape[1] = values.Length;
        CheckChannels(values.Length, like.Size(1));
        using var host = torch.FromArray(values.Select(v => (float)v).ToArray(), shape);
        return host.To(like.Device, like.DType);
    }

    /// <summary>An affine inverse with one (scale, offset) per channel, after checking the channel count like <see cref="PerChannel"/>.</summary>
    protected static ChannelAffine PerChannelAffine(double[] scale, double[] offset, int channels)
    {
        CheckChannels(scale.Length, channels);
        return new ChannelAffine(scale.ToArray(), offset.ToArray());
    }

    private static void CheckChannels(int fitted, long data)
    {
        if (fitted != data)
            throw new UserInputException($"normalisation has {fitted} channel(s) but the data has {data}");
    }

    /// <summary>Requires a fitted array (clear error if config.json lacks it).</summary>
    protected static double[] Required(double[]? values, string kind, string key) =>
        values ?? throw new UserInputException($"normalisation '{kind}' needs the fitted key 'normalization.{key}' in config.json; it is missing");
}
