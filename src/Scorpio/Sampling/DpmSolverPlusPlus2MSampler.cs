using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// DPM-Solver++(2M) (<see cref="DpmSolverStep"/>; Lu et al. 2022): second order, multistep, one score evaluation per step.
/// The final step to sigma = 0 (first order) is <see cref="Denoiser.Tweedie"/>.
/// </summary>
public static class DpmSolverPlusPlus2MSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        var f = EvaluationCounter.Wrap(score);
        Tensor? previous = null;
        double hPrevious = 0;
        try
        {
            return SamplerLoop.Run(grid, x, f, (xi, i) =>
            {
                double t = grid[i], s = grid[i + 1];
                using var sc = f.Score(xi, t);
                var x0 = SamplerMath.DataPrediction(sde, xi, sc, t);
                var next = DpmSolverStep.Apply(sde, xi, x0, previous, hPrevious, t, s);
                previous?.Dispose();
                previous = x0.DetachFromDisposeScope();
                hPrevious = DpmSolverStep.Lambda(sde, s) - DpmSolverStep.Lambda(sde, t);
                return next;
            }, callback);
        }
        finally
        {
            previous?.Dispose();
        }
    }
}
