using Scorpio.Operators;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// Approximate draws of x ~ p(x | z, y) proportional to p_eta(y - A x) N(x; z, rho^2 I) for a learned (non-Gaussian) noise
/// density known only through its score s_eta = grad log p_eta (SLIC's noise model at its smallest noise level): the
/// likelihood step of PnP-DM (Wu, Sun et al. 2024) when the noise is not Gaussian. Langevin dynamics split into an exact
/// Ornstein-Uhlenbeck flow for the coupling term, x &lt;- z + a (x - z) + rho sqrt(1 - a^2) e with a = exp(-h / rho^2), and an
/// Euler step for the likelihood, x &lt;- x - h A^T s_eta(y - A x) (the gradient of log p_eta(y - A x)), with
/// h = gamma / (lambda_max(A^T J A) + 1/rho^2) (J the noise precision, measured by power iteration on finite differences of
/// the noise score): the step follows the whole conditional's stiffness, so the splitting keeps the data's pull (a step
/// much longer than rho^2 would let the exact flow forget it) and its error is of order gamma (for a Gaussian, variance
/// exact when rho^2 lambda -&gt; 0, +4% at rho^2 lambda = 1, +5% when it is large, at gamma = 0.1). Started
/// from the chain's previous x (Markov-chain-within-Gibbs keeps the joint target). Masked pixels: their residual is zeroed
/// and their score dropped, as SLIC does.
/// </summary>
public sealed class NoiseScoreLangevinDraw : IDisposable
{
    private readonly Tensor _y;      // (1, C', H', W') float64
    private readonly Tensor? _mask;  // (1, C', H', W') float64
    private readonly INoiseScore _noise;
    private readonly DeviceCopies _devices = new();

    /// <param name="a">the forward model (linear).</param>
    /// <param name="observation">y, (C', H', W'), observation units.</param>
    /// <param name="noise">the noise score, observation units (asked at mu = 1, sigma = 0: its smallest noise level).</param>
    /// <param name="mask">0/1 observed pixels (C', H', W'), or null.</param>
    /// <param name="steps">Langevin steps per draw.</param>
    /// <param name="gamma">step size in units of 1 / lambda_max(A^T J A).</param>
    public NoiseScoreLangevinDraw(ForwardOperator a, Tensor observation, INoiseScore noise, Tensor? mask, int steps = 20, double gamma = 0.1)
    {
        if (!a.IsLinear) throw new ArgumentException($"the Langevin likelihood step needs a linear forward model; {a.Name} is not");
        if (steps < 1) throw new Astro.InvalidSettingException("langevinSteps", $"must be at least 1 (got {steps})");
        if (!(gamma > 0 && gamma < 1)) throw new Astro.InvalidSettingException("langevinGamma", $"must lie in (0, 1) (got {gamma})");
        Operator = a;
        _noise = noise;
        Steps = steps;
        Gamma = gamma;
        _y = ObservationTensor.Prepare(observation, a.OutputShape);
        _mask = mask?.To(DType.Float64).Unsqueeze(0).DetachFromDisposeScope();
        LargestDataPrecision = MeasureCurvature();
    }

    public ForwardOperator Operator { get; }
    public int Steps { get; }
    public double Gamma { get; }
    /// <summary>lambda_max(A^T J A), J = -d s_eta / d eta at zero residual (1/sigma^2 for white Gaussian noise and A = I).</summary>
    public double LargestDataPrecision { get; }

    /// <summary>
    /// A draw of x | z, y for every batch item, <see cref="Steps"/> Langevin steps from <paramref name="start"/> (the chain's
    /// previous x) at coupling <paramref name="rho"/>; a new tensor in z's dtype. <see cref="Steps"/> noise-score evaluations.
    /// </summary>
    public Tensor Draw(Tensor z, Tensor start, double rho, SampleNoise noise)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        double h = Gamma / (LargestDataPrecision + 1 / (rho * rho)), decay = Math.Exp(-h / (rho * rho));
        double spread = rho * Math.Sqrt(Math.Max(1 - decay * decay, 0));
        var z64 = z.To(DType.Float64);
        var x = start.To(DType.Float64);
        for (int k = 0; k < Steps; k++)
        {
            // One scope per step: the step's temporaries (the noise model's activations included) die with it; only the
            // chain's x (one image per item) stays in Draw's scope.
            using (torch.NewDisposeScope())
            {
                var moved = x.Add(Operator.Adjoint(NoiseScore(x)), -h);   // grad_x log p_eta(y - A x) = -A^T s_eta
                x = moved.Sub(z64).Mul(decay).Add(z64).Add(noise.RandnLike(moved), spread).MoveToOuterDisposeScope();
            }
        }
        return x.To(z.DType).MoveToOuterDisposeScope();
    }

    /// <summary>s_eta(y - A x) on observed pixels (0 on masked ones), float64.</summary>
    private Tensor NoiseScore(Tensor x)
    {
        var y = _devices.Like(_y, x);
        var residual = y.Sub(Operator.Apply(x));
        var mask = _mask is null ? null : _devices.Like(_mask, x);
        if (mask is not null) residual = residual.Mul(mask);
        long b = x.Size(0);
        var ones = torch.Ones([b], DType.Float64, x.Device);
        var s = _noise.Score(residual.To(DType.Float32), ones, torch.Zeros([b], DType.Float64, x.Device)).To(DType.Float64);
        return mask is null ? s : s.Mul(mask);
    }

    /// <summary>
    /// Power iteration on v -&gt; A^T (s(0) - s(e A v)) / e (30 iterations from a fixed start), the finite-difference size e
    /// set so that e A v is a tenth of the noise's own scale, which is found first from the score's response to random
    /// residuals (s(d) - s(0) ~ -d / sigma^2); a few host reads at set-up.
    /// </summary>
    private double MeasureCurvature()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        using var g = new Generator(20240614);
        var mask = _mask;
        Tensor Score(Tensor residual)
        {
            var r = mask is null ? residual : residual.Mul(mask);
            var s = _noise.Score(r.To(DType.Float32), torch.Ones([1], DType.Float64), torch.Zeros([1], DType.Float64)).To(DType.Float64);
            return mask is null ? s : s.Mul(mask);
        }
        static double Rms(Tensor t) => t.Square().Mean().Sqrt().ToDouble();
        var zero = Score(torch.Zeros([1, .. Operator.OutputShape], DType.Float64));
        var probe = torch.Randn([1, .. Operator.OutputShape], g, DType.Float64);
        if (mask is not null) probe = probe.Mul(mask);
        double scale = 1;                                               // the noise's standard deviation, refined
        for (int i = 0; i < 4; i++)
        {
            var d = probe.Mul(0.1 * scale / Math.Max(Rms(probe), 1e-30));
            double response = Rms(Score(d).Sub(zero));
            if (!(response > 0)) break;
            scale = Math.Sqrt(Rms(d) / response);
        }
        var v = torch.Randn([1, .. Operator.InputShape], g, DType.Float64);
        double lambda = 0;
        for (int i = 0; i < 30; i++)
        {
            var av = Operator.Apply(v.Div(v.Norm().Clamp(1e-300)));
            double e = 0.1 * scale / Math.Max(Rms(av), 1e-30);
            var w = Operator.Adjoint(zero.Sub(Score(av.Mul(e))).Div(e));
            lambda = w.Norm().ToDouble();
            v = w;
        }
        if (!(lambda > 0) || !double.IsFinite(lambda))
            throw new Astro.UserInputException("the noise model's score does not respond to the residual (curvature not positive): it cannot serve as a likelihood");
        return lambda;
    }

    public void Dispose()
    {
        _devices.Dispose();
        _y.Dispose();
        _mask?.Dispose();
    }
}
