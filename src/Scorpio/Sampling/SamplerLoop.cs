using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// The loop every sampler is: one step per interval of a decreasing time grid, each in its own dispose scope with
/// gradients off, the running state handed over between steps, and progress reported after every step with the
/// evaluations counted so far.
/// </summary>
public static class SamplerLoop
{
    /// <summary>
    /// Runs <paramref name="step"/>(x, i), which takes the state from grid[i] to grid[i + 1], over the whole grid; returns the
    /// final state as a new tensor (the caller's <paramref name="x"/> is never disposed).
    /// </summary>
    public static Tensor Run(double[] grid, Tensor x, EvaluationCounter counter, Func<Tensor, int, Tensor> step, Action<SamplerStep>? callback)
    {
        CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        for (int i = 0; i + 1 < grid.Length; i++)
        {
            Tensor next;
            using (torch.NewDisposeScope()) next = step(current, i).MoveToOuterDisposeScope();
            if (!ReferenceEquals(current, x) && !ReferenceEquals(current, next)) current.Dispose();
            current = next;
            callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, grid[i + 1], counter.Count));
        }
        return ReferenceEquals(current, x) ? x.Clone() : current;
    }

    /// <summary>Checks a time grid: at least one point, finite, strictly decreasing.</summary>
    public static void CheckGrid(double[] grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Length == 0) throw new ArgumentException("the time grid is empty");
        for (int i = 0; i < grid.Length; i++)
        {
            if (!double.IsFinite(grid[i])) throw new ArgumentException($"time grid point {i} is {grid[i]}");
            if (i > 0 && !(grid[i] < grid[i - 1]))
                throw new ArgumentException($"the time grid must decrease strictly (point {i}: {grid[i]} after {grid[i - 1]})");
        }
    }
}
