using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Tests.Networks;

/// <summary>Small configurations and helpers shared by the network tests.</summary>
internal static class NetworkTestUtil
{
    /// <summary>A two-level DDPM U-Net (width 8) with linear or softmax attention.</summary>
    public static NetworkConfig TinyDdpm(int imageSize, int channels, string attention) => new()
    {
        Arch = "ddpm", InChannels = channels, ImageSize = imageSize, Width = 8, ChannelMult = [1, 2],
        BlocksPerLevel = 1, AttentionResolutions = attention == "linear" ? [imageSize, imageSize / 2] : [imageSize / 2],
        AttentionType = attention, Heads = 2, HeadChannels = attention == "linear" ? 4 : 0,
        Embedding = "sinusoidal", SkipRescale = false,
    };

    /// <summary>A three-level NCSN++ (width 8) in score_models' layout: input and output skips (concatenated), plain middle attention.</summary>
    public static NetworkConfig TinyScoreModelsNcsnpp(int imageSize, int channels) => NetworkPresets.NcsnppPaperFor(imageSize, channels) with
    {
        Width = 8, ChannelMult = [1, 2, 2], BlocksPerLevel = 1,
    };

    /// <summary>A two-level ddpm-ho U-Net (width 8), as score_models' DDPM.</summary>
    public static NetworkConfig TinyHo(int imageSize, int channels) => NetworkPresets.HoPaperFor(imageSize, channels) with
    {
        Width = 8, ChannelMult = [1, 2], BlocksPerLevel = 1,
    };

    /// <summary>score_models' MLP layout (width 16, 3 layers: 4 built).</summary>
    public static NetworkConfig MlpConcat(int dim) => new()
    {
        Arch = "mlp-concat", InChannels = dim, Width = 16, MlpLayers = 3, Embedding = "fourier", FourierScale = 16,
    };

    public static NetworkConfig Mlp(int dim) => new()
    {
        Arch = "mlp", InChannels = dim, Width = 32, MlpHidden = 128, MlpLayers = 3, Embedding = "fourier", FourierScale = 16,
    };

    /// <summary>Adds N(0, scale^2) to every parameter so that zero-initialised paths (gates, last convs) are active.</summary>
    public static void Perturb(ScoreNetwork net, double scale, ulong seed)
    {
        using var rng = new Generator(seed);
        using (torch.NoGrad())
            foreach (var p in net.Parameters())
            {
                using var noise = torch.Randn(p.Shape, rng, p.Tensor.DType);
                p.Tensor.Add_(noise, scale);
            }
    }
}
