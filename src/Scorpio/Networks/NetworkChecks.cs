using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>Input validation shared by the networks: clear messages instead of libtorch shape errors deep inside.</summary>
internal static class NetworkChecks
{
    /// <summary>
    /// The levels of a U-Net <paramref name="config"/> (its ChannelMult), after checking that there is at least one, that
    /// Width, BlocksPerLevel and InChannels are positive and that the image side fits the levels.
    /// </summary>
    public static int UNetLevels(string network, NetworkConfig config)
    {
        int levels = config.ChannelMult.Length;
        if (levels < 1) throw new ArgumentException($"{network}: ChannelMult must have at least one level");
        if (config.Width < 1 || config.BlocksPerLevel < 1 || config.InChannels < 1)
            throw new ArgumentException($"{network}: Width ({config.Width}), BlocksPerLevel ({config.BlocksPerLevel}) and InChannels ({config.InChannels}) must be >= 1");
        CheckImageSize(network, config.ImageSize, config.ImageSize, levels);
        return levels;
    }

    /// <summary>Throws unless the image side is a multiple of 2^(levels-1) (every level halves it).</summary>
    public static void CheckImageSize(string network, long height, long width, int levels)
    {
        long factor = 1L << (levels - 1);
        if (height % factor != 0 || width % factor != 0 || height < factor || width < factor)
            throw new ArgumentException(
                $"{network}: image size {height}x{width} is not divisible by {factor} (2^(levels-1) with {levels} levels); " +
                $"use a size that is a multiple of {factor} (e.g. {Math.Max(1, (height + factor - 1) / factor) * factor}) or fewer levels in ChannelMult");
    }

    /// <summary>
    /// Checks x is (B, channels, H, W) with a valid size and returns the condition as a (B,) tensor
    /// of x's dtype (a 0-d or 1-element condition is broadcast over the batch).
    /// </summary>
    public static Tensor Image(string network, Tensor x, Tensor condition, int channels, int levels)
    {
        if (x.Dim != 4) throw new ArgumentException($"{network}: expected images (B, C, H, W), got shape ({string.Join(", ", x.Shape)})");
        if (x.Size(1) != channels) throw new ArgumentException($"{network}: expected {channels} channels, got {x.Size(1)} (shape ({string.Join(", ", x.Shape)}))");
        CheckImageSize(network, x.Size(2), x.Size(3), levels);
        return Condition(network, x, condition);
    }

    /// <summary>The condition as (B,) in x's dtype.</summary>
    public static Tensor Condition(string network, Tensor x, Tensor condition)
    {
        long b = x.Size(0);
        Tensor c;
        if (condition.Numel == b && condition.Dim <= 1) c = condition.Reshape(b);
        else if (condition.Numel == 1) c = condition.Reshape(1).Expand(b);
        else throw new ArgumentException($"{network}: the condition must have shape ({b},) for a batch of {b}, got ({string.Join(", ", condition.Shape)})");
        return c.DType == x.DType ? c : c.To(x.DType);
    }
}
