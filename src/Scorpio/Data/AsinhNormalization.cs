using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Asinh stretch then per-channel min-max to [-1, 1] (Spagnoletti et al. 2024): y = asinh(x / s),
/// x' = 2 (y - lo) / (hi - lo) - 1 with lo, hi the training minimum and maximum of y per channel.
/// Exactly invertible: x = s sinh(lo + (x' + 1)(hi - lo) / 2). The stretch compresses bright cores
/// while keeping faint outskirts (near-linear below s).
/// </summary>
public sealed class AsinhNormalization : Normalization
{
    private readonly double _scale;
    private readonly double[] _lo, _hi;

    public AsinhNormalization(NormalizationConfig config)
    {
        Config = config;
        _scale = config.AsinhScale;
        if (!(_scale > 0)) throw new Scorpio.Astro.UserInputException($"asinh normalisation needs a positive scale, got {_scale}");
        _lo = Required(config.Low, "asinh", "low");
        _hi = Required(config.High, "asinh", "high");
    }

    private NormalizationConfig Config { get; }
    public override string Kind => "asinh";

    /// <summary>Fits this kind's statistics to <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static new NormalizationConfig Fit(NormalizationConfig settings, Tensor physical)
    {
        var (lo, hi) = ChannelStatistics.MappedRanges(physical, v => Math.Asinh(v / settings.AsinhScale));
        return settings with { Low = lo, High = hi, Mean = null, Std = null };
    }

    public override Tensor Forward(Tensor physical)
    {
        using var lo = PerChannel(_lo, physical);
        using var hi = PerChannel(_hi, physical);
        using var scaled = physical.Div(_scale);
        using var y = scaled.Asinh();
        using var centred = y.Sub(lo);
        using var span = hi.Sub(lo);
        using var unit = centred.Div(span);
        using var twice = unit.Mul(2.0);
        return twice.Sub(1.0);
    }

    public override Tensor Inverse(Tensor normalised)
    {
        using var lo = PerChannel(_lo, normalised);
        using var hi = PerChannel(_hi, normalised);
        using var span = hi.Sub(lo);
        using var shifted = normalised.Add(1.0);
        using var half = shifted.Mul(0.5);
        using var spread = half.Mul(span);
        using var y = spread.Add(lo);
        using var x = y.Sinh();
        return x.Mul(_scale);
    }

    public override NormalizationConfig ToConfig() => Config;

    /// <summary>Null: x = s sinh(...) is not affine.</summary>
    public override ChannelAffine? InverseAffine(int channels) => null;

    public override string NotAffineReason => "is not linear (x = s sinh(lo + (x' + 1)(hi - lo) / 2))";
}
