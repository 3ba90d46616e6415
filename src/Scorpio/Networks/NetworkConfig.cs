using System.Text.Json.Serialization;

namespace Scorpio.Networks;

/// <summary>
/// Everything needed to rebuild a score network (stored in a run's config.json).
/// </summary>
public sealed record NetworkConfig
{
    /// <summary>
    /// ncsnpp (NCSN++), ddpm (astroddpm's U-Net), ddpm-ho (Ho et al. 2020's U-Net as score_models' DDPM builds it),
    /// mlp (vectors), mlp-concat (vectors; score_models' MLP: the time features join every layer's input),
    /// or gaussian (the analytic stationary Gaussian prior: fitted, not trained).
    /// </summary>
    public string Arch { get; init; } = "ncsnpp";
    /// <summary>True for the architectures of vectors (B, D) rather than images: mlp and mlp-concat.</summary>
    [JsonIgnore]
    public bool ForVectors => IsVectorArch(Arch);

    /// <summary>True when <paramref name="arch"/> is an architecture of vectors (mlp, mlp-concat).</summary>
    public static bool IsVectorArch(string? arch) => arch is "mlp" or "mlp-concat";
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
    /// <summary>
    /// NCSN++ attention block: attnblockpp (GroupNorm in front, the output scaled by 1/sqrt(2) with
    /// <see cref="SkipRescale"/>: Song et al. 2021's AttnBlockpp) or plain (no normalisation, no rescaling:
    /// score_models' SelfAttentionBlock). ddpm-ho always uses plain.
    /// </summary>
    public string AttentionBlock { get; init; } = "attnblockpp";
    /// <summary>Self-attention between the two middle residual blocks (score_models' <c>attention</c>) for ncsnpp and ddpm-ho.</summary>
    public bool MiddleAttention { get; init; } = true;
    /// <summary>
    /// NCSN++ output path (score_models' <c>progressive</c>): none (GroupNorm, SiLU, conv3x3 after the last level) or
    /// output_skip (every decoder level adds its own GroupNorm-SiLU-conv3x3 image to the upsampled image of the level below).
    /// </summary>
    public string Progressive { get; init; } = "none";
    /// <summary>
    /// NCSN++ input path (score_models' <c>progressive_input</c>): none, or input_skip (the input image, FIR-downsampled
    /// to each level, enters after every downsampling through a 1x1 convolution, combined by <see cref="CombineMethod"/>).
    /// </summary>
    public string ProgressiveInput { get; init; } = "none";
    /// <summary>How input_skip joins the features: cat (concatenate, doubling the channels) or sum.</summary>
    public string CombineMethod { get; init; } = "cat";
    /// <summary>Non-linearity of ddpm-ho and mlp-concat: silu (swish), relu, leakyrelu, gelu, elu, tanh, sigmoid, mish.</summary>
    public string Activation { get; init; } = "silu";
    /// <summary>
    /// ddpm-ho: the non-linearity between the two layers of the time embedding's MLP (score_models 0.6; false for
    /// score_models 0.5's DDPM, which has none).
    /// </summary>
    public bool EmbeddingActivation { get; init; } = true;
    /// <summary>ddpm-ho: learned resampling (stride-2 conv3x3 down, nearest + conv3x3 up) instead of 2x2 mean and nearest.</summary>
    public bool ResampleWithConv { get; init; } = true;
    /// <summary>Hidden units of the mlp arch.</summary>
    public int MlpHidden { get; init; } = 128;
    /// <summary>Hidden layers of the mlp arch; for mlp-concat, score_models' <c>layers</c> (an odd count builds one more).</summary>
    public int MlpLayers { get; init; } = 3;
}
