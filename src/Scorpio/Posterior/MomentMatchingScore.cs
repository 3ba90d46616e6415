using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Solvers;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// The moment-matching posterior score (MMPS; Rozet et al. 2024): grad log p_t(x_t) + grad log q_t(y | x_t) with
/// q_t(y | x_t) = N(y; A x0_hat, Sigma_y + A V A^T), x0_hat = E[x_0 | x_t] = (x_t + sigma^2 s) / mu Tweedie's denoiser and
/// V = Cov[x_0 | x_t] = (sigma^2 / mu) d x0_hat / d x_t its covariance (Tweedie's second-order formula). The likelihood score
/// (the covariance held fixed, as Rozet et al.) is J^T A^T (Sigma_y + A V A^T)^-1 (y - A x0_hat), J = d x0_hat / d x_t:
/// <list type="number">
/// <item>one prior evaluation with autograd gives s and x0_hat;</item>
/// <item>in whitened residuals (W^T W = Sigma_y^-1, <see cref="NoiseWhitening"/>) solve (I + (sigma^2/mu) W A J A^T W^T) u = W (y - A x0_hat)
/// by <see cref="ConjugateGradient"/> with a fixed iteration count (no host reads), each iteration one vector-Jacobian
/// product J^T v of the denoiser (J is symmetric for an exact score), never a dense Jacobian;</item>
/// <item>the score is the VJP of A^T W^T u through x0_hat, plus s, its correction of the denoiser bounded in data space
/// (<see cref="DataBound"/>: a property of the exact solve that a network's Jacobian and a few CG iterations can break).</item>
/// </list>
/// A Gaussian prior makes p(x_0 | x_t) exactly Gaussian with that mean and covariance, so with a converged solve this is the exact
/// posterior score and every sampler samples the exact posterior. Cost per evaluation: one forward pass and
/// <see cref="CgIterations"/> + 1 VJPs. Any linear operator (PSF, pooling, masks, warps, several exposures stacked by
/// <see cref="MultiExposure"/>) and any Gaussian noise (white, per-pixel, dense; masked pixels get zero weight).
/// </summary>
public sealed class MomentMatchingScore : IScoreFunction, IDisposable
{
    private readonly Tensor _y;   // (1 or B, C', H', W') float64
    private readonly NoiseWhitening _whitening;
    private readonly DeviceCopies _devices = new();

    /// <param name="prior">the prior score, differentiable in x (a trained model or an analytic score).</param>
    /// <param name="sde">the prior's SDE.</param>
    /// <param name="a">the forward model in the prior's units (linear).</param>
    /// <param name="observation">y, (C', H', W') or (1, C', H', W'), or (B, C', H', W') with one observation per batch item; NaN pixels must be masked in <paramref name="noise"/>.</param>
    /// <param name="noise">Sigma_y (white, per-pixel or dense, with its mask), in y's units.</param>
    /// <param name="cgIterations">conjugate-gradient iterations per evaluation (0: Sigma_y alone, V ignored).</param>
    public MomentMatchingScore(IScoreFunction prior, Sde sde, ForwardOperator a, Tensor observation, GaussianNoise noise, int cgIterations)
    {
        if (!a.IsLinear) throw new ArgumentException($"moment matching needs a linear forward model; {a.Name} is not");
        if (cgIterations < 0) throw new Astro.InvalidSettingException("cgIterations", $"must be >= 0 (got {cgIterations})");
        Prior = prior;
        Sde = sde;
        Operator = a;
        CgIterations = cgIterations;
        _y = ObservationTensor.Prepare(observation, a.OutputShape);
        _whitening = new NoiseWhitening(noise, a.OutputShape);
    }

    public IScoreFunction Prior { get; }
    public Sde Sde { get; }
    public ForwardOperator Operator { get; }
    /// <summary>Conjugate-gradient iterations per evaluation.</summary>
    public int CgIterations { get; }
    /// <summary>Score evaluations so far: each is one forward pass of the prior and <see cref="CgIterations"/> + 1 VJPs.</summary>
    public long Evaluations { get; private set; }

    public Tensor Score(Tensor x, Tensor t)
    {
        Evaluations++;
        using var scope = torch.NewDisposeScope();
        using var grad = torch.EnableGrad();
        var leaf = x.Detach();
        leaf.RequiresGrad = true;
        var score = Prior.Score(leaf, t);
        var mu = PerSample.Broadcast(Sde.Mu(t), x);
        var sigma2 = PerSample.Broadcast(Sde.Sigma(t).Square(), x);
        var denoised = leaf.Add(score.Mul(sigma2)).Div(mu);
        var y = _devices.Like(_y, x);
        Tensor residual, b;
        using (torch.NoGrad())
        {
            residual = y.Sub(Operator.Apply(denoised.Detach()));
            b = _whitening.Apply(residual);
        }
        // J^T v through the denoiser's graph, kept for the CG iterations and the final product.
        Tensor Vjp(Tensor v, bool retain) => torch.Grad([denoised], [leaf], [v], retainGraph: retain)[0]!;
        var scale = sigma2.Div(mu);   // V = (sigma^2 / mu) J
        Tensor ApplyK(Tensor v)
        {
            using var inner = torch.NewDisposeScope();
            var back = Operator.Adjoint(_whitening.Transpose(v));
            var spread = Vjp(back, retain: true).Mul(scale);
            using var noGrad = torch.NoGrad();
            return v.Add(_whitening.Apply(Operator.Apply(spread))).MoveToOuterDisposeScope();
        }
        Tensor u;
        using (torch.NoGrad()) u = ConjugateGradient.Solve(ApplyK, b, CgIterations);
        var likelihood = Vjp(Operator.Adjoint(_whitening.Transpose(u)), retain: false);
        using (torch.NoGrad()) likelihood = likelihood.Mul(DataBound(likelihood.Mul(scale), b));
        return score.Detach().Add(likelihood).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per item, min(1, ||b|| / ||W A d||) for the denoiser's correction d = V A^T W^T u. Exactly, W A d = M (I + M)^-1 b with
    /// M = W A V A^T W^T positive semi-definite, so ||W A d|| &lt;= ||b||: the corrected denoiser never moves its prediction of
    /// the data further than the data are from it. A few CG iterations on a network's Jacobian can break that by orders of
    /// magnitude at high signal-to-noise (sigma_y far below sigma(t): the system's condition number is sigma^2 / sigma_y^2),
    /// and the sample then explodes; the correction is scaled back onto the bound. A converged solve on a Gaussian prior never
    /// triggers it.
    /// </summary>
    private Tensor DataBound(Tensor correction, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var moved = _whitening.Apply(Operator.Apply(correction.To(DType.Float64))).Flatten(1).Square().Sum([1]).Sqrt();
        var allowed = b.Flatten(1).Square().Sum([1]).Sqrt();
        var factor = allowed.Div(moved.Clamp(1e-300)).Clamp(max: 1.0);
        return PerSample.Broadcast(factor, correction).To(correction.DType).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _y.Dispose();
        _whitening.Dispose();
        _devices.Dispose();
    }
}
