using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2): a second-order multistep solver of the probability-flow ODE
/// in the data-prediction form, with lambda = log(mu/sigma) (half the log-SNR) and x0_hat from Tweedie:
/// x_s = (sigma_s/sigma_t) x_t - mu_s (e^{-h} - 1) D, h = lambda_s - lambda_t,
/// D = (1 + 1/(2r)) x0_hat_t - 1/(2r) x0_hat_prev, r = h_prev / h (first step: D = x0_hat_t).
/// One score evaluation per step. The final step to sigma = 0 (first order) is <see cref="Denoiser.Tweedie"/>.
/// </summary>
public static class DpmSolverPlusPlus2MSampler
{
    /// <summary>Integrates from <paramref name="grid"/>[0] to the last grid time; <paramref name="noise"/> is unused.</summary>
    public static Tensor Sample(IScoreFunction score, Sde sde, double[] grid, Tensor x, SampleNoise? noise = null, Action<SamplerStep>? callback = null)
    {
        SamplerMath.CheckGrid(grid);
        using var noGrad = torch.NoGrad();
        var current = x;
        Tensor? previous = null;
        double hPrevious = 0;
        try
        {
            for (int i = 0; i + 1 < grid.Length; i++)
            {
                double t = grid[i], s = grid[i + 1];
                double h = Lambda(sde, s) - Lambda(sde, t);
                Tensor next, x0;
                using (torch.NewDisposeScope())
                {
                    var sc = score.Score(current, t);
                    x0 = SamplerMath.DataPrediction(sde, current, sc, t);
                    var d = x0;
                    if (previous is not null)
                    {
                        double r = hPrevious / h;
                        d = x0.Mul(1 + 1 / (2 * r)).Add(previous, -1 / (2 * r));
                    }
                    next = current.Mul(sde.Sigma(s) / sde.Sigma(t)).Add(d, -sde.Mu(s) * double.ExpM1(-h)).MoveToOuterDisposeScope();
                    x0.MoveToOuterDisposeScope();
                }
                previous?.Dispose();
                previous = x0;
                hPrevious = h;
                SamplerMath.Advance(ref current, next, x);
                callback?.Invoke(new SamplerStep(i + 1, grid.Length - 1, s, i + 1));
            }
        }
        finally
        {
            previous?.Dispose();
        }
        return SamplerMath.Result(current, x);
    }

    private static double Lambda(Sde sde, double t) => Math.Log(sde.Mu(t) / sde.Sigma(t));
}
