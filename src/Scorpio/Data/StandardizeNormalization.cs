using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Standardisation x' = (x - mean) / std per channel, exactly invertible. A sensible default for
/// noise models (noise is centred and unbounded, so clipping or min-max would distort its tails).
/// </summary>
public sealed class StandardizeNormalization : Normalization
{
    private readonly double[] _mean, _std;

    public StandardizeNormalization(NormalizationConfig config)
    {
        Config = config;
        _mean = Required(config.Mean, Kind, "mean");
        _std = Required(config.Std, Kind, "std");
    }

    private NormalizationConfig Config { get; }
    public override string Kind => "standardize";

    /// <summary>Fits this kind's statistics to <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static new NormalizationConfig Fit(NormalizationConfig settings, Tensor physical)
    {
        var stats = ChannelStatistics.Split(physical).Select(ChannelStatistics.MeanStd).ToArray();
        return settings with
        {
            Mean = stats.Select(s => s.Mean).ToArray(),
            Std = stats.Select(s => ChannelStatistics.SafeSpan(s.Std)).ToArray(),
            Low = null,
            High = null,
        };
    }

    public override Tensor Forward(Tensor physical)
    {
        using var m = PerChannel(_mean, physical);
        using var s = PerChannel(_std, physical);
        using var centred = physical.Sub(m);
        return centred.Div(s);
    }

    public override Tensor Inverse(Tensor normalised)
    {
        using var m = PerChannel(_mean, normalised);
        using var s = PerChannel(_std, normalised);
        using var scaled = normalised.Mul(s);
        return scaled.Add(m);
    }

    public override NormalizationConfig ToConfig() => Config;

    /// <summary>x = std x' + mean: scale std and offset mean per channel.</summary>
    public override ChannelAffine InverseAffine(int channels) => PerChannelAffine(_std, _mean, channels);
}
