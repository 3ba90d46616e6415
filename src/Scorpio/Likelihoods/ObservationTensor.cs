using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>Shape checks and NaN handling shared by the likelihoods.</summary>
internal static class ObservationTensor
{
    /// <summary>
    /// y as (N, C', H', W') float64 with NaNs set to 0 (their pixels must be masked by the caller), detached from any scope. N = 1
    /// (one observation for every batch item, given as (C', H', W') or (1, C', H', W')) or one observation per batch item
    /// (simulation-based calibration: many (x, y) pairs in one batch; the batch size must then be N).
    /// </summary>
    public static Tensor Prepare(Tensor observation, long[] outputShape)
    {
        using var y4 = observation.Dim == 3 ? observation.Unsqueeze(0) : observation.Alias();
        if (y4.Dim != 4 || !y4.Shape.Skip(1).SequenceEqual(outputShape))
            throw new UserInputException($"the observation has shape {string.Join("x", observation.Shape)} but the forward model predicts {string.Join("x", outputShape)}");
        using var f = y4.To(DType.Float64);
        return f.NanToNum(0.0, 0.0, 0.0).DetachFromDisposeScope();
    }
}
