using System.Text.Json.Nodes;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// A way to draw posterior samples of an <see cref="InverseProblem"/>, chosen by name from <see cref="PosteriorMethods"/>.
/// A new method is one class implementing this and one registration line.
/// </summary>
public interface IPosteriorMethod
{
    /// <summary>The registered name (summary.json's method).</summary>
    string Name { get; }

    /// <summary>
    /// Checks that the problem suits the method (a clear error otherwise), sets up what every batch shares, logs warnings, and
    /// returns what will run for summary.json: the sampler, the grid kind and its points, the evaluations per batch, settings.
    /// </summary>
    JsonObject Prepare(InverseProblem problem, Action<string>? log);

    /// <summary>
    /// <paramref name="n"/> posterior samples (n, C, H, W) in the prior's normalised units, on the device of
    /// <paramref name="noise"/>, every random draw from it; progress after every update with the evaluations so far.
    /// </summary>
    Tensor Sample(InverseProblem problem, int n, SampleNoise noise, Action<SamplerStep>? progress);

    /// <summary>
    /// What the method measured while sampling (every batch so far), for summary.json: e.g. a Markov chain's effective
    /// sample size; null when it measures nothing.
    /// </summary>
    JsonObject? Diagnostics() => null;

    /// <summary>The sampler and options that draw prior samples comparable to this method's posterior (the variance ratio).</summary>
    (SamplerDefinition Sampler, SamplerOptions Options) PriorSampling { get; }
}
