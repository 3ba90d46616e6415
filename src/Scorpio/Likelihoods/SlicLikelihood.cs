using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Operators;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// Score-based likelihood characterisation (SLIC; Legin et al. 2023; Salhi et al. 2024; Adam et al. 2023): the likelihood score
/// from a noise score s_phi, grad_x log p_t(y | x_t) ~ -J_A(x_t)^T s_phi(eta_t, t), with the residual
/// eta_t = mu(t) y - A x_t (or the annealed residual, <see cref="SlicResidual"/>). Exact at t = 0, the convolved
/// approximation for t &gt; 0. For linear A the VJP is the explicit adjoint; a non-linear A goes through autograd.
/// <para>Several exposures (<see cref="MultiExposure"/>): when the noise score was built for one exposure's
/// shape, each exposure's residual is scored separately (the exposures' noises are independent).
/// Masked pixels (NaNs in y): their residual is set to 0 before the noise score sees it and their score is
/// dropped, so they carry no information (an approximation: the noise model sees a hole of zeros).</para>
/// </summary>
public sealed class SlicLikelihood : ILikelihood, IDisposable
{
    private readonly Tensor _y;
    private readonly Tensor? _mask;
    private readonly Sde _sde;
    private readonly INoiseScore _noise;
    private readonly int _splits;
    private readonly DeviceCopies _devices = new();

    /// <param name="a">forward model.</param>
    /// <param name="observation">y (C', H', W') or (1, C', H', W'), observation units.</param>
    /// <param name="noise">the noise score (learned or analytic), in observation units.</param>
    /// <param name="sde">the prior's SDE.</param>
    /// <param name="residual">exact (default) or annealed residuals; annealing needs <paramref name="residualNoise"/> (or <see cref="ResidualNoise"/>).</param>
    /// <param name="residualNoise">draws the annealing noise (annealed residuals only).</param>
    /// <param name="mask">0/1 mask (C', H', W') of observed pixels, or null.</param>
    /// <param name="perturbationScale">factor between <paramref name="a"/> and the operator the noise score was built for:
    /// with A' = A o diag(p) (the prior's normalisation, <see cref="Posterior.PriorUnits"/>), sigma A' z = (p sigma) A z, so the
    /// noise score is asked for sigma(t) p. 1 when the noise score was built for <paramref name="a"/> itself.</param>
    public SlicLikelihood(ForwardOperator a, Tensor observation, INoiseScore noise, Sde sde,
        SlicResidual residual = SlicResidual.Exact, SampleNoise? residualNoise = null, Tensor? mask = null, double perturbationScale = 1.0)
    {
        PerturbationScale = perturbationScale;
        Operator = a;
        _sde = sde;
        _noise = noise;
        Residual = residual;
        ResidualNoise = residualNoise;
        _y = ObservationTensor.Prepare(observation, a.OutputShape);
        if (mask is not null)
        {
            if (!mask.Shape.SequenceEqual(a.OutputShape))
                throw new UserInputException($"the observation mask has shape {string.Join("x", mask.Shape)} but the observation is {string.Join("x", a.OutputShape)}");
            _mask = mask.To(DType.Float64).Unsqueeze(0).DetachFromDisposeScope();
        }
        var o = a.OutputShape;
        var n = noise.Shape;
        if (o.SequenceEqual(n)) _splits = 1;
        else if (o[1] == n[1] && o[2] == n[2] && o[0] % n[0] == 0 && a is MultiExposure) _splits = (int)(o[0] / n[0]);
        else
            throw new UserInputException($"the noise model was trained on {string.Join("x", n)} noise images but the observation is {string.Join("x", o)}: " +
                "train the noise model on cutouts of the observation's size (or cut observation stamps of the noise model's size)");
    }

    public ForwardOperator Operator { get; }
    public SlicResidual Residual { get; }

    /// <summary>
    /// Draws the annealing noise of <see cref="SlicResidual.Annealed"/> residuals: set it to the batch's per-sample
    /// generators (on a stream of their own) before each batch, so residual k's noise belongs to sample k.
    /// </summary>
    public SampleNoise? ResidualNoise { get; set; }

    private Tensor AnnealingDraw(Tensor like) =>
        (ResidualNoise ?? throw new InvalidOperationException("annealed residuals draw noise: set ResidualNoise before sampling")).RandnLike(like);
    public double PerturbationScale { get; }

    public Tensor Score(Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var mu = _sde.Mu(t);
        var sigma = _sde.Sigma(t);
        var y = _devices.Like(_y, x);
        Tensor ax;
        Tensor? xLeaf = null;
        if (Operator.IsLinear)
        {
            using var noGrad = torch.NoGrad();
            ax = Operator.Apply(x);
        }
        else
        {
            using var grad = torch.EnableGrad();
            xLeaf = x.Detach();
            xLeaf.RequiresGrad = true;
            ax = Operator.Apply(xLeaf);
        }
        using (torch.NoGrad())
        {
            var adx = ax.Detach();
            var muB = PerSample.Broadcast(mu, adx);
            Tensor eta = Residual == SlicResidual.Exact
                ? y.Mul(muB).Sub(adx)
                : y.Sub(adx).Mul(muB).Add(AnnealingDraw(adx).Mul(PerSample.Broadcast(sigma, adx)));
            var mask = _mask is null ? null : _devices.Like(_mask, x);
            if (mask is not null) eta = eta.Mul(mask);
            var s = NoiseScore(eta, mu, sigma.Mul(PerturbationScale));
            if (mask is not null) s = s.Mul(mask);
            Tensor result;
            if (xLeaf is null) result = Operator.Adjoint(s);
            else
            {
                using var grad = torch.EnableGrad();
                result = torch.Vjp(ax, xLeaf, s);
            }
            return result.Neg().MoveToOuterDisposeScope();
        }
    }

    private Tensor NoiseScore(Tensor eta, Tensor mu, Tensor sigma)
    {
        if (_splits == 1) return _noise.Score(eta, mu, sigma);
        long b = eta.Size(0);
        var n = _noise.Shape;
        var stacked = eta.Reshape(b * _splits, n[0], n[1], n[2]);
        // Each exposure's residual is one item of the noise score's batch, at its sample's noise level.
        var s = _noise.Score(stacked, Repeat(mu, _splits), Repeat(sigma, _splits));
        return s.Reshape(eta.Shape);
    }

    /// <summary>Each of the (B,) values <paramref name="times"/> times in a row, (B times,).</summary>
    private static Tensor Repeat(Tensor values, int times) => values.Unsqueeze(1).Expand(values.Size(0), times).Reshape(values.Size(0) * times);

    public void Dispose()
    {
        _devices.Dispose();
        _y.Dispose();
        _mask?.Dispose();
    }
}
