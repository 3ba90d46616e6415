using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// NCSN++'s BigGAN-style residual block (score_models' ResnetBlockBigGANpp):
/// h = conv0(resample(silu(GN0(x)))) + dense(act(temb)); h = conv1(dropout(silu(GN1(h))));
/// out = (skip(resample(x)) + h) / sqrt(2). conv1 starts at ~0 so the block starts as the identity
/// (scaled), which keeps deep U-Nets trainable; the 1x1 skip exists when the channels or the
/// resolution change. Without resampling and rescaling, and with ReLU, it is also the residual block of Ho et al.
/// (2020)'s U-Net (score_models' DDPMResnetBlock, used by <see cref="HoUNet"/>).
/// </summary>
public sealed class BigGanResidualBlock : Module
{
    private readonly GroupNorm _norm0;
    private readonly Conv2d _conv0;
    private readonly Linear _dense;
    private readonly GroupNorm _norm1;
    private readonly Dropout _dropout;
    private readonly Conv2d _conv1;
    private readonly Conv2d? _skip;
    private readonly Downsample? _down;
    private readonly Upsample? _up;
    private readonly bool _skipRescale;
    private readonly Activation _activation;

    public int InChannels { get; }
    public int OutChannels { get; }

    /// <param name="inChannels">Input feature channels.</param>
    /// <param name="outChannels">Output feature channels.</param>
    /// <param name="embeddingDim">Size of the (already activated) time embedding given to <see cref="Forward"/>.</param>
    /// <param name="rng">Initialises every weight.</param>
    /// <param name="dropout">Dropout probability before the second convolution.</param>
    /// <param name="skipRescale">Divide the sum by sqrt(2) (keeps the variance of deep stacks constant).</param>
    /// <param name="resample">Up or down by 2 inside the block (BigGAN), or null to keep the resolution.</param>
    /// <param name="down">True: <paramref name="resample"/> halves the resolution; false: doubles it.</param>
    /// <param name="activation">The block's non-linearity (SiLU in NCSN++).</param>
    public BigGanResidualBlock(int inChannels, int outChannels, int embeddingDim, Generator rng,
        double dropout = 0, bool skipRescale = true, ResamplingKind? resample = null, bool down = true, Activation activation = Activation.SiLU)
    {
        _activation = activation;
        InChannels = inChannels; OutChannels = outChannels;
        _skipRescale = skipRescale;
        _norm0 = RegisterModule("norm0", new GroupNorm(GroupNorm.DefaultGroups(inChannels), inChannels, 1e-6));
        if (resample is { } kind)
        {
            if (down) _down = RegisterModule("down", new Downsample(inChannels, rng, kind));
            else _up = RegisterModule("up", new Upsample(inChannels, rng, kind));
        }
        _conv0 = RegisterModule("conv0", new Conv2d(inChannels, outChannels, 3, rng, initScale: 1.0));
        _dense = RegisterModule("dense", new Linear(embeddingDim, outChannels, rng, initScale: 1.0));
        _norm1 = RegisterModule("norm1", new GroupNorm(GroupNorm.DefaultGroups(outChannels), outChannels, 1e-6));
        _dropout = RegisterModule("dropout", new Dropout(dropout));
        // init_scale 0 in score_models: VarianceScaling clamps to 1e-10, i.e. ~0 but not exactly (gradients still flow).
        _conv1 = RegisterModule("conv1", new Conv2d(outChannels, outChannels, 3, rng, initScale: 0.0));
        if (inChannels != outChannels || resample is not null)
            _skip = RegisterModule("skip", new Conv2d(inChannels, outChannels, 1, rng, padding: 0, initScale: 1.0));
    }

    /// <param name="x">Features (B, InChannels, H, W).</param>
    /// <param name="embedding">act(time embedding), (B, embeddingDim).</param>
    /// <returns>(B, OutChannels, H', W') with H' = H/2, 2H or H.</returns>
    public Tensor Forward(Tensor x, Tensor embedding)
    {
        using var scope = torch.NewDisposeScope();
        var h = _activation.Apply(_norm0.Forward(x));
        if (_down is not null) { h = _down.Forward(h); x = _down.Forward(x); }
        else if (_up is not null) { h = _up.Forward(h); x = _up.Forward(x); }
        h = _conv0.Forward(h);
        var e = _dense.Forward(embedding);
        h = h + e.Reshape(e.Size(0), e.Size(1), 1, 1);
        h = _conv1.Forward(_dropout.Forward(_activation.Apply(_norm1.Forward(h))));
        var skip = _skip is null ? x : _skip.Forward(x);
        var sum = skip + h;
        return (_skipRescale ? sum.Mul(1 / Math.Sqrt(2)) : sum).MoveToOuterDisposeScope();
    }
}
