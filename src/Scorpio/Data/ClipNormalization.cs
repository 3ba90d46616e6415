using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>
/// Clip and rescale (Smith et al. 2022, eq. 13): x' = 2 max(0, min(x, A)) / A - 1, mapping [0, A] to [-1, 1].
/// A is given (<see cref="NormalizationConfig.ClipMax"/>) or the <see cref="NormalizationConfig.ClipPercentile"/>
/// percentile of each channel's training pixels (stored in <see cref="NormalizationConfig.High"/>).
/// The inverse x = A (x' + 1) / 2 is exact inside [0, A]; values clipped by the forward map are lost.
/// </summary>
public sealed class ClipNormalization : Normalization
{
    private readonly double[] _a;

    public ClipNormalization(NormalizationConfig config)
    {
        _a = Required(config.High, "clip", "high");
        if (_a.Any(a => !(a > 0)))
            throw new UserInputException($"clip normalisation needs A > 0, got {string.Join(", ", _a)}: the data's upper percentile is not positive; give --clip-max or use asinh/minmax");
        Config = config;
    }

    private NormalizationConfig Config { get; }
    public override string Kind => "clip";

    /// <summary>The clip level A per channel (physical units).</summary>
    public IReadOnlyList<double> ClipLevels => _a;

    /// <summary>Fits this kind's statistics to <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static new NormalizationConfig Fit(NormalizationConfig settings, Tensor physical)
    {
        int c = (int)physical.Size(1);
        double[] a = settings.ClipMax is double given
            ? Enumerable.Repeat(given, c).ToArray()
            : ChannelStatistics.Split(physical).Select(v => ChannelStatistics.Percentile(v, settings.ClipPercentile)).ToArray();
        return settings with { High = a, Low = null, Mean = null, Std = null };
    }

    public override Tensor Forward(Tensor physical)
    {
        using var a = PerChannel(_a, physical);
        using var zero = torch.ZerosLike(a);
        using var clipped = physical.Clamp(zero, a);
        using var scaled = clipped.Div(a);
        using var twice = scaled.Mul(2.0);
        return twice.Sub(1.0);
    }

    public override Tensor Inverse(Tensor normalised)
    {
        using var a = PerChannel(_a, normalised);
        using var shifted = normalised.Add(1.0);
        using var half = shifted.Mul(0.5);
        return half.Mul(a);
    }

    public override NormalizationConfig ToConfig() => Config;

    /// <summary>x = A (x' + 1) / 2: scale A / 2 and offset A / 2 per channel.</summary>
    public override ChannelAffine InverseAffine(int channels) =>
        PerChannelAffine(_a.Select(a => a / 2).ToArray(), _a.Select(a => a / 2).ToArray(), channels);
}
