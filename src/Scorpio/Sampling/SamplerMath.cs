using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>Small pieces the steps share.</summary>
internal static class SamplerMath
{
    /// <summary>Euclidean norm of each sample, (B,).</summary>
    public static Tensor SampleNorms(Tensor x)
    {
        using var flat = x.Flatten(1);
        return flat.Norm(2, [1]);
    }

    /// <summary>Tweedie's estimate of x_0 from the score: (x + sigma^2 s) / mu.</summary>
    public static Tensor DataPrediction(Sde sde, Tensor x, Tensor score, double t)
    {
        double sigma = sde.Sigma(t);
        using var moved = x.Add(score, sigma * sigma);
        return moved.Div(sde.Mu(t));
    }
}
