using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>One exposure of a built <see cref="InverseProblem"/>: its observation, forward model and Gaussian noise level.</summary>
public sealed class Exposure
{
    internal Exposure(ObservationInput observation, ForwardModelSpec forward, ForwardOperator op, double? sigma, Tensor? sigmaMap, string? sigmaMapSource)
    {
        Observation = observation;
        Forward = forward;
        Operator = op;
        Sigma = sigma;
        SigmaMap = sigmaMap;
        SigmaMapSource = sigmaMapSource;
    }

    /// <summary>The pixels (C', H', W'), physical units, their mask and the FITS header.</summary>
    public ObservationInput Observation { get; }
    /// <summary>The forward model as stated.</summary>
    public ForwardModelSpec Forward { get; }
    /// <summary>A, physical units: model image (C, H, W) to this exposure's pixels.</summary>
    public ForwardOperator Operator { get; }
    /// <summary>White Gaussian noise sigma, or null (sigma map or a learned noise model).</summary>
    public double? Sigma { get; }
    /// <summary>Per-pixel sigma (C', H', W') float64, or null.</summary>
    public Tensor? SigmaMap { get; }
    /// <summary>Where the sigma map came from.</summary>
    public string? SigmaMapSource { get; }
}
