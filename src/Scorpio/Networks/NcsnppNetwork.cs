using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// NCSN++ U-Net (Song et al. 2021; score_models' NCSNpp with resblock_type "biggan"): Gaussian-Fourier (or sinusoidal)
/// embedding of the condition and a 2-layer SiLU MLP; per level <see cref="NetworkConfig.BlocksPerLevel"/> BigGAN
/// residual blocks, self-attention at the configured resolutions, a resampling residual block (FIR or pooling) between
/// levels; a middle of block, attention, block; the mirror-image decoder with one more block per level that
/// concatenates the matching encoder activation. Optional, as score_models' defaults have them: the input image fed to
/// every level (<see cref="NetworkConfig.ProgressiveInput"/> input_skip) and the output summed over the decoder levels
/// (<see cref="NetworkConfig.Progressive"/> output_skip); otherwise GroupNorm, SiLU, conv3x3 out.
/// Accepts any image whose sides are multiples of 2^(levels-1).
/// </summary>
public sealed class NcsnppNetwork : ScoreNetwork
{
    private sealed record Level(List<BigGanResidualBlock> Blocks, List<SelfAttention2d?> Attention, BigGanResidualBlock? Resample,
        Conv2d? Combine = null, GroupNorm? PyramidNorm = null, Conv2d? PyramidConv = null);

    private readonly TimeEmbedding _embedding;
    private readonly Conv2d _convIn;
    private readonly List<Level> _down = new();
    private readonly BigGanResidualBlock _mid0;
    private readonly SelfAttention2d? _midAttention;
    private readonly BigGanResidualBlock _mid1;
    private readonly List<Level> _up = new();   // ordered from the coarsest level to the finest
    private readonly GroupNorm? _normOut;
    private readonly Conv2d? _convOut;
    private readonly Downsample? _pyramidDown;
    private readonly Upsample? _pyramidUp;
    private readonly double _attentionScale;
    private readonly bool _concatenate;

    public NetworkConfig Config { get; }
    /// <summary>Resolution levels (length of ChannelMult).</summary>
    public int Levels { get; }

    /// <param name="config">Architecture (Arch is not checked here; see <see cref="NetworkFactory"/>).</param>
    /// <param name="rng">Initialises every weight and the Fourier frequencies.</param>
    public NcsnppNetwork(NetworkConfig config, Generator rng)
    {
        Config = config;
        Levels = NetworkChecks.UNetLevels("NcsnppNetwork", config);
        bool plainAttention = config.AttentionBlock switch
        {
            "attnblockpp" => false,
            "plain" => true,
            _ => throw new ArgumentException($"NcsnppNetwork: unknown AttentionBlock '{config.AttentionBlock}' (attnblockpp, plain)"),
        };
        bool outputSkip = Choice(config.Progressive, "Progressive", "none", "output_skip") == "output_skip";
        bool inputSkip = Choice(config.ProgressiveInput, "ProgressiveInput", "none", "input_skip") == "input_skip";
        _concatenate = Choice(config.CombineMethod, "CombineMethod", "cat", "sum") == "cat";
        int nf = config.Width, embeddingDim = 4 * nf;
        var resampling = config.Fir ? ResamplingKind.Fir : ResamplingKind.Plain;
        // AttnBlockpp's output is rescaled with the skip connections; score_models' plain block is not.
        _attentionScale = config.SkipRescale && !plainAttention ? 1 / Math.Sqrt(2) : 1.0;

        _embedding = RegisterModule("embedding", new TimeEmbedding(config.Embedding, nf, embeddingDim, embeddingDim,
            Activation.SiLU, config.FourierScale, rng, initScale: 1.0));
        _convIn = RegisterModule("conv_in", new Conv2d(config.InChannels, nf, 3, rng, initScale: 1.0));
        if (inputSkip) _pyramidDown = RegisterModule("pyramid_down", new Downsample(config.InChannels, rng, resampling));
        if (outputSkip) _pyramidUp = RegisterModule("pyramid_up", new Upsample(config.InChannels, rng, resampling));

        BigGanResidualBlock Block(string name, int cin, int cout, ResamplingKind? resample = null, bool down = true) =>
            RegisterModule(name, new BigGanResidualBlock(cin, cout, embeddingDim, rng, config.Dropout, config.SkipRescale, resample, down));
        SelfAttention2d Attention(string name, int channels) =>
            RegisterModule(name, new SelfAttention2d(channels, rng, config.Heads, normalize: !plainAttention));

        var skipChannels = new Stack<int>();
        skipChannels.Push(nf);
        int ch = nf;
        for (int i = 0; i < Levels; i++)
        {
            bool attend = config.AttentionResolutions.Contains(config.ImageSize >> i);
            var blocks = new List<BigGanResidualBlock>();
            var attention = new List<SelfAttention2d?>();
            for (int b = 0; b < config.BlocksPerLevel; b++)
            {
                int cout = nf * config.ChannelMult[i];
                blocks.Add(Block($"down.{i}.block.{b}", ch, cout));
                attention.Add(attend ? Attention($"down.{i}.attn.{b}", cout) : null);
                ch = cout;
                skipChannels.Push(ch);
            }
            BigGanResidualBlock? resample = null;
            Conv2d? combine = null;
            if (i != Levels - 1)
            {
                resample = Block($"down.{i}.resample", ch, ch, resampling, down: true);
                if (inputSkip)
                {
                    combine = RegisterModule($"down.{i}.combine", new Conv2d(config.InChannels, ch, 1, rng, padding: 0, initScale: 1.0));
                    if (_concatenate) ch *= 2;
                }
                skipChannels.Push(ch);
            }
            _down.Add(new Level(blocks, attention, resample, combine));
        }

        _mid0 = Block("mid.block.0", ch, ch);
        if (config.MiddleAttention) _midAttention = Attention("mid.attn", ch);
        _mid1 = Block("mid.block.1", ch, ch);

        for (int i = Levels - 1; i >= 0; i--)
        {
            var blocks = new List<BigGanResidualBlock>();
            for (int b = 0; b <= config.BlocksPerLevel; b++)
            {
                int cout = nf * config.ChannelMult[i];
                blocks.Add(Block($"up.{i}.block.{b}", ch + skipChannels.Pop(), cout));
                ch = cout;
            }
            bool attend = config.AttentionResolutions.Contains(config.ImageSize >> i);
            var attention = new List<SelfAttention2d?> { attend ? Attention($"up.{i}.attn", ch) : null };
            GroupNorm? pyramidNorm = null;
            Conv2d? pyramidConv = null;
            if (outputSkip)
            {
                pyramidNorm = RegisterModule($"up.{i}.pyramid_norm", new GroupNorm(GroupNorm.DefaultGroups(ch), ch, 1e-6));
                pyramidConv = RegisterModule($"up.{i}.pyramid_conv", new Conv2d(ch, config.InChannels, 3, rng, initScale: 1.0));
            }
            var resample = i != 0 ? Block($"up.{i}.resample", ch, ch, resampling, down: false) : null;
            _up.Add(new Level(blocks, attention, resample, PyramidNorm: pyramidNorm, PyramidConv: pyramidConv));
        }

        if (!outputSkip)
        {
            _normOut = RegisterModule("norm_out", new GroupNorm(GroupNorm.DefaultGroups(ch), ch, 1e-6));
            _convOut = RegisterModule("conv_out", new Conv2d(ch, config.InChannels, 3, rng, initScale: 1.0));
        }
    }

    private static string Choice(string value, string name, params string[] known) =>
        known.Contains(value) ? value : throw new ArgumentException($"NcsnppNetwork: unknown {name} '{value}' ({string.Join(", ", known)})");

    /// <param name="x">Noisy images (B, InChannels, H, W), H and W multiples of 2^(levels-1).</param>
    /// <param name="condition">Noise level or time per image, (B,) (a scalar is broadcast).</param>
    /// <returns>(B, InChannels, H, W).</returns>
    public override Tensor Forward(Tensor x, Tensor condition)
    {
        using var scope = torch.NewDisposeScope();
        var c = NetworkChecks.Image(nameof(NcsnppNetwork), x, condition, Config.InChannels, Levels);
        // Every block's dense layer sees act(temb): computed once here instead of once per block.
        var temb = torch.SiLU(_embedding.Forward(c));
        if (Config.ChannelsLast) x = x.Contiguous(MemoryFormat.ChannelsLast);
        var inputPyramid = x;
        var h = _convIn.Forward(x);
        var skips = new List<Tensor> { h };
        foreach (var level in _down)
        {
            for (int b = 0; b < level.Blocks.Count; b++)
            {
                h = level.Blocks[b].Forward(h, temb);
                if (level.Attention[b] is { } attention) h = Attend(attention, h);
                skips.Add(h);
            }
            if (level.Resample is not null)
            {
                h = level.Resample.Forward(h, temb);
                if (level.Combine is not null)
                {
                    inputPyramid = _pyramidDown!.Forward(inputPyramid);
                    var projected = level.Combine.Forward(inputPyramid);
                    h = _concatenate ? torch.Cat([projected, h], 1) : projected + h;
                }
                skips.Add(h);
            }
        }
        h = _mid0.Forward(h, temb);
        if (_midAttention is not null) h = Attend(_midAttention, h);
        h = _mid1.Forward(h, temb);
        Tensor? pyramid = null;
        foreach (var level in _up)
        {
            foreach (var block in level.Blocks)
            {
                h = block.Forward(torch.Cat([h, skips[^1]], 1), temb);
                skips.RemoveAt(skips.Count - 1);
            }
            if (level.Attention[0] is { } attention) h = Attend(attention, h);
            if (level.PyramidConv is not null)
            {
                var image = level.PyramidConv.Forward(torch.SiLU(level.PyramidNorm!.Forward(h)));
                pyramid = pyramid is null ? image : _pyramidUp!.Forward(pyramid) + image;
            }
            if (level.Resample is not null) h = level.Resample.Forward(h, temb);
        }
        var y = pyramid ?? _convOut!.Forward(torch.SiLU(_normOut!.Forward(h)));
        return (Config.ChannelsLast ? y.Contiguous() : y).MoveToOuterDisposeScope();
    }

    private Tensor Attend(SelfAttention2d attention, Tensor h)
    {
        var a = attention.Forward(h);
        return _attentionScale == 1.0 ? a : a.Mul(_attentionScale);
    }
}
