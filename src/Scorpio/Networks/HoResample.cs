using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// Resolution change between the levels of Ho et al. (2020)'s U-Net, as score_models builds it. Down: with a
/// convolution, a stride-2 3x3 convolution of the input padded by one zero row and column at the bottom and right
/// (TensorFlow's "same" padding: output pixel i sees inputs 2i..2i+2); without, 2x2 mean pooling. Up: nearest-neighbour
/// doubling, then (with a convolution) a 3x3 convolution with zero padding 1.
/// </summary>
public sealed class HoResample : Module
{
    private readonly Conv2d? _conv;
    private readonly bool _down;

    /// <param name="channels">Feature channels (unchanged).</param>
    /// <param name="down">True: halve the resolution; false: double it.</param>
    /// <param name="withConv">Learned resampling (a 3x3 convolution) or none.</param>
    /// <param name="rng">Initialises the convolution.</param>
    public HoResample(int channels, bool down, bool withConv, Generator rng)
    {
        _down = down;
        if (withConv) _conv = RegisterModule("conv", new Conv2d(channels, channels, 3, rng, stride: down ? 2 : 1, padding: down ? 0 : 1));
    }

    /// <summary>(B, C, H, W) to (B, C, H/2, W/2) or (B, C, 2H, 2W).</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        Tensor y;
        if (_down) y = _conv is null ? torch.AvgPool2d(x, 2) : _conv.Forward(torch.Pad(x, [0, 1, 0, 1]));
        else
        {
            var doubled = torch.Interpolate(x, scaleFactor: 2.0, mode: "nearest");
            y = _conv is null ? doubled : _conv.Forward(doubled);
        }
        return y.MoveToOuterDisposeScope();
    }
}
