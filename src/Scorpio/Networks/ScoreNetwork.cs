using Scorpio.Torch;
using Scorpio.Torch.NN;
using Scorpio.Models;

namespace Scorpio.Networks;

/// <summary>
/// A network mapping a noisy input x (B, C, H, W) or (B, D) and a conditioning noise level
/// (B,) to an output of x's shape. What the output means (noise n = sigma s, EDM's F, DDPM's
/// epsilon) and what the conditioning is (t, log sigma / 4, step index) is decided by
/// <see cref="Models.Parametrisation"/>; the network only sees numbers.
/// </summary>
public abstract class ScoreNetwork : Module
{
    public abstract Tensor Forward(Tensor x, Tensor condition);
}
