namespace Scorpio.Torch.NN;

/// <summary>
/// Multi-head self-attention over the pixels of a (B, C, H, W) feature map with GroupNorm
/// in front and a residual connection (the attention block of DDPM and NCSN++ U-Nets). Without the GroupNorm
/// (<c>normalize: false</c>) it is score_models' SelfAttentionBlock.
/// </summary>
public sealed class SelfAttention2d : Module
{
    private readonly GroupNorm? _norm;
    private readonly Conv2d _qkv;
    private readonly Conv2d _proj;
    public long Heads { get; }

    /// <param name="channels">Feature channels in and out.</param>
    /// <param name="rng">Initialises the projections.</param>
    /// <param name="heads">Attention heads (channels / heads each).</param>
    /// <param name="normalize">GroupNorm the input of the projections.</param>
    public SelfAttention2d(long channels, Generator rng, long heads = 1, bool normalize = true)
    {
        if (channels % heads != 0) throw new ArgumentException($"attention: {channels} channels not divisible by {heads} heads");
        Heads = heads;
        if (normalize) _norm = RegisterModule("norm", new GroupNorm(GroupNorm.DefaultGroups(channels), channels));
        _qkv = RegisterModule("qkv", new Conv2d(channels, 3 * channels, 1, rng, padding: 0));
        _proj = RegisterModule("proj", new Conv2d(channels, channels, 1, rng, padding: 0, initScale: 1e-10));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        long b = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3), d = c / Heads;
        var qkv = _qkv.Forward(_norm is null ? x : _norm.Forward(x)).Reshape(b, 3, Heads, d, h * w);
        var q = qkv.Select(1, 0).Transpose(-1, -2);   // (b, heads, hw, d)
        var k = qkv.Select(1, 1).Transpose(-1, -2);
        var v = qkv.Select(1, 2).Transpose(-1, -2);
        var a = torch.ScaledDotProductAttention(q, k, v).Transpose(-1, -2).Reshape(b, c, h, w);
        return (x + _proj.Forward(a)).MoveToOuterDisposeScope();
    }
}
