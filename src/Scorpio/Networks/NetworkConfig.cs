using System.Text.Json.Serialization;

namespace Scorpio.Networks;

/// <summary>
/// Everything needed to rebuild a score network (stored in a run's config.json).
/// </summary>
public sealed record NetworkConfig
{
    /// <summary>ncsnpp, ddpm, mlp, or gaussian (the analytic stationary Gaussian prior: fitted, not trained).</summary>
    public string Arch { get; init; } = "ncsnpp";
    /// <summary>Image channels (bands); for mlp, the vector dimension.</summary>
    public int InChannels { get; init; } = 1;
    /// <summary>Image side in pixels (square images; any multiple of 2^(levels-1)).</summary>
    public int ImageSize { get; init; } = 32;
    /// <summary>Base channel count (nf). For mlp: the size of the condition's Fourier/sinusoidal embedding.</summary>
    public int Width { get; init; } = 32;
    /// <summary>Channel multiplier per resolution level; its length sets the number of levels.</summary>
    public int[] ChannelMult { get; init; } = [1, 2, 2];
    /// <summary>Residual blocks per level.</summary>
    public int BlocksPerLevel { get; init; } = 1;
    /// <summary>
    /// Resolutions (in pixels, at <see cref="ImageSize"/>) at which self-attention is applied.
    /// The levels are fixed when the network is built; other input sizes keep attention at the same levels.
    /// </summary>
    public int[] AttentionResolutions { get; init; } = [8];
    /// <summary>Dropout probability inside residual blocks (training mode only).</summary>
    public double Dropout { get; init; } = 0.0;
    /// <summary>Time embedding: fourier (Gaussian Fourier features, NCSN++) or sinusoidal (DDPM).</summary>
    public string Embedding { get; init; } = "fourier";
    /// <summary>Scale of the Gaussian Fourier features (16 in score_models).</summary>
    public double FourierScale { get; init; } = 16.0;
    /// <summary>Rescale skip connections by 1/sqrt(2) (NCSN++).</summary>
    public bool SkipRescale { get; init; } = true;
    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 1;
    /// <summary>Channels per attention head for linear attention (astroddpm: 32); 0 = channels / heads.</summary>
    public int HeadChannels { get; init; } = 0;
    /// <summary>
    /// Attention kind of the ddpm arch: softmax (full self-attention with GroupNorm, as NCSN++) or
    /// linear (astroddpm's linear attention with a zero-initialised residual gate). NCSN++ always uses softmax.
    /// </summary>
    public string AttentionType { get; init; } = "softmax";
    /// <summary>
    /// NCSN++ resampling: true = the (1,3,3,1) FIR kernel of score_models (a fixed depthwise convolution),
    /// false = 2x2 average pooling and nearest-neighbour upsampling.
    /// </summary>
    public bool Fir { get; init; } = true;
    /// <summary>
    /// Run the image networks in channels-last (NHWC) memory layout, which lets oneDNN skip some
    /// reorders around convolutions; results are the same up to rounding, returned contiguous.
    /// A speed setting only: measure (bench/train) before turning it on.
    /// </summary>
    public bool ChannelsLast { get; init; } = false;
    /// <summary>Hidden units of the mlp arch.</summary>
    public int MlpHidden { get; init; } = 128;
    /// <summary>Hidden layers of the mlp arch.</summary>
    public int MlpLayers { get; init; } = 3;
}
