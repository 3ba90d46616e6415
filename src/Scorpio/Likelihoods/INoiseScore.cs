using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// The score of a noise distribution perturbed as the posterior SDE perturbs residuals (Adam et al. 2023 eq. 3):
/// grad_v log q(v) for v = mu eta_0 + sigma A z, eta_0 ~ the noise distribution (observation units), z ~ N(0, I)
/// on the model grid, A the operator the noise model was built for (the identity for a plain noise model).
/// A learned noise model (<see cref="NoiseModels.TrainedNoiseScore"/>) or an analytic one (<see cref="GaussianNoiseScore"/>).
/// </summary>
public interface INoiseScore
{
    /// <summary>Shape (C, H, W) of one noise image the score applies to.</summary>
    long[] Shape { get; }

    /// <summary>grad_v log q(v) for a batch v (B, C, H, W) with one (mu, sigma) per item, (B,) float64 tensors on v's device; a new tensor.</summary>
    Tensor Score(Tensor v, Tensor mu, Tensor sigma);
}
