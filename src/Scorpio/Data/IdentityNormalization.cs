using Scorpio.Torch;

namespace Scorpio.Data;

/// <summary>No normalisation (kind <c>none</c>): the data are already on a sensible scale.</summary>
public sealed class IdentityNormalization : Normalization
{
    public override string Kind => "none";
    public override Tensor Forward(Tensor physical) => physical.Clone();
    public override Tensor Inverse(Tensor normalised) => normalised.Clone();
    public override NormalizationConfig ToConfig() => new() { Kind = "none" };

    /// <summary>Scale 1 and offset 0 for each of <paramref name="channels"/> channels.</summary>
    public override ChannelAffine InverseAffine(int channels) =>
        new(Enumerable.Repeat(1.0, channels).ToArray(), new double[channels]);
}
