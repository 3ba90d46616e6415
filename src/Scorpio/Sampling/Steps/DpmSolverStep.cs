using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One step of DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), the data-prediction multistep solver of the probability-flow
/// ODE in lambda = log(mu/sigma): x_s = (sigma_s/sigma_t) x_t - mu_s (e^{-h} - 1) D, h = lambda_s - lambda_t,
/// D = (1 + 1/(2r)) x0_hat_t - 1/(2r) x0_hat_prev, r = h_prev / h (first step, or no previous estimate: D = x0_hat_t).
/// </summary>
public static class DpmSolverStep
{
    /// <summary>lambda(t) = log(mu/sigma), half the log signal-to-noise ratio.</summary>
    public static double Lambda(Sde sde, double t) => Math.Log(sde.Mu(t) / sde.Sigma(t));

    /// <summary>The step from Tweedie's estimate <paramref name="x0"/> at t and, when given, the previous step's estimate and h.</summary>
    public static Tensor Apply(Sde sde, Tensor x, Tensor x0, Tensor? previous, double hPrevious, double t, double s)
    {
        double h = Lambda(sde, s) - Lambda(sde, t);
        using var scope = torch.NewDisposeScope();
        var d = x0;
        if (previous is not null)
        {
            double r = hPrevious / h;
            d = x0.Mul(1 + 1 / (2 * r)).Add(previous, -1 / (2 * r));
        }
        return x.Mul(sde.Sigma(s) / sde.Sigma(t)).Add(d, -sde.Mu(s) * double.ExpM1(-h)).MoveToOuterDisposeScope();
    }
}
