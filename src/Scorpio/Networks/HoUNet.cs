using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// The U-Net of Ho et al. (2020), in the continuous-time form of Song et al. (2021) that score_models builds as
/// <c>DDPM</c> (arch "ddpm-ho"): a Gaussian Fourier embedding of the condition through Linear(nf, 4nf), act,
/// Linear(4nf, 4nf); conv3x3 in; per level <see cref="NetworkConfig.BlocksPerLevel"/> residual blocks
/// (<see cref="BigGanResidualBlock"/> without resampling or rescaling: DDPM's block) and a resampling layer between levels (<see cref="HoResample"/>); a middle of block,
/// self-attention (score_models' SelfAttentionBlock: no normalisation), block; the mirror-image decoder with one more
/// block per level, each concatenating the matching encoder activation; GroupNorm, act, conv3x3 out. Unlike astroddpm's
/// U-Net (arch "ddpm") it has no attention inside the levels and adds the time embedding as a bias only.
/// </summary>
public sealed class HoUNet : ScoreNetwork
{
    private sealed record Level(List<BigGanResidualBlock> Blocks, HoResample? Resample);

    private readonly TimeEmbedding _embedding;
    private readonly Conv2d _convIn;
    private readonly List<Level> _down = new();
    private readonly BigGanResidualBlock _mid0;
    private readonly SelfAttention2d? _midAttention;
    private readonly BigGanResidualBlock _mid1;
    private readonly List<Level> _up = new();   // from the coarsest level to the finest
    private readonly GroupNorm _normOut;
    private readonly Conv2d _convOut;
    private readonly Activation _activation;

    public NetworkConfig Config { get; }
    /// <summary>Resolution levels (length of ChannelMult).</summary>
    public int Levels { get; }

    /// <param name="config">Architecture (Arch is not checked here; see <see cref="NetworkFactory"/>).</param>
    /// <param name="rng">Initialises every weight and the Fourier frequencies.</param>
    public HoUNet(NetworkConfig config, Generator rng)
    {
        Config = config;
        Levels = NetworkChecks.UNetLevels("HoUNet", config);
        _activation = ActivationExtensions.Parse(config.Activation);
        int nf = config.Width, embeddingDim = 4 * nf;
        _embedding = RegisterModule("embedding", new TimeEmbedding(config.Embedding, nf, embeddingDim, embeddingDim,
            config.EmbeddingActivation ? _activation : null, config.FourierScale, rng));
        _convIn = RegisterModule("conv_in", new Conv2d(config.InChannels, nf, 3, rng));

        BigGanResidualBlock Block(string name, int cin, int cout) =>
            RegisterModule(name, new BigGanResidualBlock(cin, cout, embeddingDim, rng, config.Dropout, skipRescale: false, activation: _activation));

        var skipChannels = new Stack<int>();
        skipChannels.Push(nf);
        int ch = nf;
        for (int i = 0; i < Levels; i++)
        {
            var blocks = new List<BigGanResidualBlock>();
            for (int b = 0; b < config.BlocksPerLevel; b++)
            {
                blocks.Add(Block($"down.{i}.block.{b}", ch, nf * config.ChannelMult[i]));
                ch = nf * config.ChannelMult[i];
                skipChannels.Push(ch);
            }
            HoResample? resample = null;
            if (i != Levels - 1)
            {
                resample = RegisterModule($"down.{i}.resample", new HoResample(ch, down: true, config.ResampleWithConv, rng));
                skipChannels.Push(ch);
            }
            _down.Add(new Level(blocks, resample));
        }
        _mid0 = Block("mid.block.0", ch, ch);
        if (config.MiddleAttention) _midAttention = RegisterModule("mid.attn", new SelfAttention2d(ch, rng, 1, normalize: false));
        _mid1 = Block("mid.block.1", ch, ch);
        for (int i = Levels - 1; i >= 0; i--)
        {
            var blocks = new List<BigGanResidualBlock>();
            for (int b = 0; b <= config.BlocksPerLevel; b++)
            {
                blocks.Add(Block($"up.{i}.block.{b}", ch + skipChannels.Pop(), nf * config.ChannelMult[i]));
                ch = nf * config.ChannelMult[i];
            }
            var resample = i != 0 ? RegisterModule($"up.{i}.resample", new HoResample(ch, down: false, config.ResampleWithConv, rng)) : null;
            _up.Add(new Level(blocks, resample));
        }
        _normOut = RegisterModule("norm_out", new GroupNorm(GroupNorm.DefaultGroups(ch), ch, 1e-6));
        _convOut = RegisterModule("conv_out", new Conv2d(ch, config.InChannels, 3, rng));
    }

    /// <param name="x">Noisy images (B, InChannels, H, W), H and W multiples of 2^(levels-1).</param>
    /// <param name="condition">Time per image, (B,) (a scalar is broadcast).</param>
    /// <returns>(B, InChannels, H, W).</returns>
    public override Tensor Forward(Tensor x, Tensor condition)
    {
        using var scope = torch.NewDisposeScope();
        var c = NetworkChecks.Image(nameof(HoUNet), x, condition, Config.InChannels, Levels);
        var temb = _activation.Apply(_embedding.Forward(c));
        var h = _convIn.Forward(x);
        var skips = new List<Tensor> { h };
        foreach (var level in _down)
        {
            foreach (var block in level.Blocks)
            {
                h = block.Forward(h, temb);
                skips.Add(h);
            }
            if (level.Resample is not null)
            {
                h = level.Resample.Forward(h);
                skips.Add(h);
            }
        }
        h = _mid0.Forward(h, temb);
        if (_midAttention is not null) h = _midAttention.Forward(h);
        h = _mid1.Forward(h, temb);
        foreach (var level in _up)
        {
            foreach (var block in level.Blocks)
            {
                h = block.Forward(torch.Cat([h, skips[^1]], 1), temb);
                skips.RemoveAt(skips.Count - 1);
            }
            if (level.Resample is not null) h = level.Resample.Forward(h);
        }
        return _convOut.Forward(_activation.Apply(_normOut.Forward(h))).MoveToOuterDisposeScope();
    }
}
