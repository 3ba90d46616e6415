namespace Scorpio.Data;

/// <summary>
/// A per-channel affine map x = Scale[c] z + Offset[c], the same for every pixel of channel c (one value per channel,
/// or per component for (N, D) vectors): what <see cref="Normalization.InverseAffine"/> reports.
/// </summary>
public sealed record ChannelAffine(double[] Scale, double[] Offset);
