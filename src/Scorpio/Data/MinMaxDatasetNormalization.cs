using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Per-data-set min-max (Vicanek Martinez and Brüggen): x' = 2 (x - lo) / (hi - lo) - 1 with lo, hi the training
/// minimum and maximum of each channel; exactly invertible. (Vicanek Martinez and Brüggen map to [0, 1]; [-1, 1] is the
/// same up to an affine change that the score model absorbs, and matches the other normalisations.)
/// </summary>
public sealed class MinMaxDatasetNormalization : Normalization
{
    private readonly double[] _lo, _hi;

    public MinMaxDatasetNormalization(NormalizationConfig config)
    {
        Config = config;
        _lo = Required(config.Low, Kind, "low");
        _hi = Required(config.High, Kind, "high");
    }

    private NormalizationConfig Config { get; }
    public override string Kind => "minmax-dataset";

    /// <summary>Fits this kind's statistics to <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static new NormalizationConfig Fit(NormalizationConfig settings, Tensor physical)
    {
        var (lo, hi) = ChannelStatistics.MappedRanges(physical, v => v);
        return settings with { Low = lo, High = hi, Mean = null, Std = null };
    }

    public override Tensor Forward(Tensor physical) => Affine.ToUnitRange(physical, PerChannel(_lo, physical), PerChannel(_hi, physical));

    public override Tensor Inverse(Tensor normalised) => Affine.FromUnitRange(normalised, PerChannel(_lo, normalised), PerChannel(_hi, normalised));

    public override NormalizationConfig ToConfig() => Config;

    /// <summary>x = lo + (x' + 1)(hi - lo) / 2: scale (hi - lo) / 2 and offset (lo + hi) / 2 per channel.</summary>
    public override ChannelAffine InverseAffine(int channels) => PerChannelAffine(
        _lo.Zip(_hi, (lo, hi) => (hi - lo) / 2).ToArray(), _lo.Zip(_hi, (lo, hi) => lo + (hi - lo) / 2).ToArray(), channels);
}
