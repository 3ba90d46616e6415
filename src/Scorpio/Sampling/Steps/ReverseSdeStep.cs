using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One Euler-Maruyama step of the reverse-time SDE dx = [f x - g^2 s] dt + g dW (Song et al. 2021, "reverse diffusion"):
/// x_s = x_t + [f(t) x_t - g(t)^2 s(x_t, t)] dt + g(t) sqrt(|dt|) z, dt = s - t &lt; 0.
/// </summary>
public static class ReverseSdeStep
{
    /// <summary>The step from an already evaluated score <paramref name="score"/> and noise <paramref name="z"/>; a new tensor.</summary>
    public static Tensor Apply(Sde sde, Tensor x, Tensor score, double t, double s, Tensor z)
    {
        double dt = s - t;
        using var drift = ProbabilityFlow.ReverseSdeDrift(sde, x, score, t);
        using var mean = x.Add(drift, dt);
        return mean.Add(z, sde.Diffusion(t) * Math.Sqrt(-dt));
    }

    /// <summary>Evaluates the score at (x, t), draws z, and steps to s (one evaluation).</summary>
    public static Tensor Apply(IScoreFunction score, Sde sde, Tensor x, double t, double s, SampleNoise noise)
    {
        using var sc = score.Score(x, t);
        using var z = noise.RandnLike(x);
        return Apply(sde, x, sc, t, s, z);
    }
}
