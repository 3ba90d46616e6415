using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>Conveniences for calling likelihood and noise scores with one time (or one noise level) for the whole batch.</summary>
public static class LikelihoodExtensions
{
    /// <summary>grad_x log p_t(y | x) at the same time <paramref name="t"/> for every batch item.</summary>
    public static Tensor Score(this ILikelihood likelihood, Tensor x, double t)
    {
        using var times = torch.Full([x.Size(0)], t, DType.Float64, x.Device);
        return likelihood.Score(x, times);
    }

    /// <summary>grad_v log q(v) at the same (mu, sigma) for every batch item.</summary>
    public static Tensor Score(this INoiseScore noise, Tensor v, double mu, double sigma)
    {
        using var m = torch.Full([v.Size(0)], mu, DType.Float64, v.Device);
        using var s = torch.Full([v.Size(0)], sigma, DType.Float64, v.Device);
        return noise.Score(v, m, s);
    }
}
