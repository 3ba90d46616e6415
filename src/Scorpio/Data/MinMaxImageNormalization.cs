using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Per-image min-max (Vicanek Martinez and Brüggen): each image's channel is mapped from its own [min, max] to [-1, 1],
/// so the model learns shapes, not fluxes. This cannot be inverted: a sample carries no flux scale.
/// <see cref="Inverse"/> is honest about it in a documented way: it maps [-1, 1] to the training
/// set's typical range, [median of per-image minima, that + median of per-image ranges], so
/// results have plausible units but their absolute flux is NOT calibrated.
/// </summary>
public sealed class MinMaxImageNormalization : Normalization
{
    private readonly double[] _lo, _hi;

    public MinMaxImageNormalization(NormalizationConfig config)
    {
        Config = config;
        _lo = Required(config.Low, Kind, "low");
        _hi = Required(config.High, Kind, "high");
    }

    private NormalizationConfig Config { get; }
    public override string Kind => "minmax-image";

    /// <summary>Fits this kind's statistics to <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static new NormalizationConfig Fit(NormalizationConfig settings, Tensor physical)
    {
        var (mins, maxs) = ChannelStatistics.PerImageRange(physical);
        var lo = new double[mins.Length];
        var hi = new double[mins.Length];
        for (int k = 0; k < mins.Length; k++)
        {
            lo[k] = ChannelStatistics.Percentile(mins[k], 50);
            var ranges = mins[k].Zip(maxs[k], (a, b) => b - a).ToArray();
            hi[k] = lo[k] + ChannelStatistics.SafeSpan(ChannelStatistics.Percentile(ranges, 50));
        }
        return settings with { Low = lo, High = hi, Mean = null, Std = null };
    }

    public override Tensor Forward(Tensor physical)
    {
        // Reduce over every axis after the channel axis (H, W for images).
        var dims = Enumerable.Range(2, Math.Max(0, physical.Dim - 2)).Select(d => (long)d).ToArray();
        if (dims.Length == 0) throw new Scorpio.Astro.UserInputException("minmax-image normalisation needs images (N, C, H, W), not vectors");
        var lo = physical.Amin(dims, keepDim: true);
        using var rawHi = physical.Amax(dims, keepDim: true);
        using var span = rawHi.Sub(lo);
        // A constant image would divide by zero: give it span 1 (it maps to -1 everywhere).
        using var flat = span.Le(1e-12);
        using var safeSpan = span.MaskedFill(flat, 1.0);
        var hi = lo.Add(safeSpan);
        return Affine.ToUnitRange(physical, lo, hi);
    }

    public override Tensor Inverse(Tensor normalised) => Affine.FromUnitRange(normalised, PerChannel(_lo, normalised), PerChannel(_hi, normalised));

    public override NormalizationConfig ToConfig() => Config;

    /// <summary>
    /// Null: the forward map scales each image by its own range, so no single affine map relates the network's units to
    /// physical units (<see cref="Inverse"/> only restores a typical range).
    /// </summary>
    public override ChannelAffine? InverseAffine(int channels) => null;

    public override string NotAffineReason =>
        "is not the same for every pixel of a channel (each image was scaled by its own range; the inverse only restores a typical range)";
}
