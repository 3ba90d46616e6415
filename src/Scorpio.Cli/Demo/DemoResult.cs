namespace Scorpio.Cli.Demo;

/// <summary>The numbers the demo report states (all RMS values in the simulator's flux units per pixel).</summary>
internal sealed record DemoResult
{
    public required double RmseObservation { get; init; }
    public required double RmsePosteriorMedian { get; init; }
    public required double RmseRichardsonLucy { get; init; }
    /// <summary>Fraction of truth pixels inside the posterior's central 68% interval, from the truth's rank among the samples (0.68 for a calibrated posterior at any sample count).</summary>
    public required double Coverage68 { get; init; }
    /// <summary>|sum over trail pixels of (reconstruction - truth)| / sum over trail pixels of truth.</summary>
    public required double InpaintFluxError { get; init; }
    public required double InterpolationFluxError { get; init; }
    public required double InpaintRmseMasked { get; init; }
    public required double InterpolationRmseMasked { get; init; }
    public required int MaskedPixels { get; init; }
    public required TimeSpan Total { get; init; }
}
