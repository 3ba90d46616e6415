using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The common shape of a sampler: integrate <paramref name="x"/> (a draw at <paramref name="grid"/>[0]) over the
/// decreasing time grid, in the model's normalised units, and return the state at the last grid time as a new tensor.
/// </summary>
public delegate Tensor SamplerFunction(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise noise,
    SamplerOptions options, Action<SamplerStep>? callback);
