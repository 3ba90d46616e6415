using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Models;

/// <summary>
/// The analytic stationary Gaussian prior (<see cref="GaussianPriorNetwork"/>, arch gaussian) under any SDE. With
/// x_t = mu x_0 + sigma z and x_0 ~ N(m, C), p_t = N(mu m, mu^2 C + sigma^2 I); in the variance-exploding variables
/// x~ = x_t / mu, r = sigma / mu the "network" returns eps = r (C + r^2 I)^-1 (x~ - m) exactly, so
/// score = -(mu^2 C + sigma^2 I)^-1 (x_t - mu m) = -eps / sigma, sigma s = -eps, and the denoiser
/// E[x_0 | x_t] = m + C (C + r^2 I)^-1 (x~ - m) = x~ - r eps. The condition is r itself, computed on the device from
/// the SDE's tensor mu(t), sigma(t), so every SDE (VE, VP, sub-VP, cosine, EDM, DDPM) gets its exact score.
/// </summary>
public sealed class GaussianParametrisation(Sde sde) : Parametrisation(sde)
{
    public override string Name => "gaussian";

    /// <summary>Fitted, not trained; denoising score matching would apply (its minimiser is this exact score).</summary>
    public override string DefaultLoss => "dsm";

    /// <summary>r = sigma(t) / mu(t), (B,) float64.</summary>
    public override Tensor Condition(Tensor t)
    {
        using var mu = Sde.Mu(t);
        using var sigma = Sde.Sigma(t);
        return sigma.Div(mu);
    }

    /// <summary>eps(x_t / mu, r): the exact noise prediction.</summary>
    private Tensor Epsilon(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var mu = PerSample.Broadcast(Sde.Mu(t), x);
        return Forward(network, x.Div(mu), t).MoveToOuterDisposeScope();
    }

    /// <summary>sigma s = -eps.</summary>
    public override Tensor SigmaScore(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var eps = Epsilon(network, x, t);
        return eps.Neg();
    }

    /// <summary>-eps / sigma = -(mu^2 C + sigma^2 I)^-1 (x - mu m), without the cancellation of (mu D - x) / sigma^2.</summary>
    public override Tensor Score(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var eps = Epsilon(network, x, t);
        var sigma = PerSample.Broadcast(Sde.Sigma(t), x);
        return eps.Div(sigma).Neg().MoveToOuterDisposeScope();
    }

    /// <summary>E[x_0 | x_t] = x / mu - (sigma / mu) eps.</summary>
    public override Tensor Denoise(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var mu = PerSample.Broadcast(Sde.Mu(t), x);
        var ratio = PerSample.Broadcast(Condition(t), x);
        var eps = Forward(network, x.Div(mu), t);
        return x.Div(mu).Sub(eps.Mul(ratio)).MoveToOuterDisposeScope();
    }
}
