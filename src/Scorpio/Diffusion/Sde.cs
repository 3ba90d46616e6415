using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// A forward diffusion with linear drift, dx = f(t) x dt + g(t) dw, whose perturbation kernel is
/// x_t = mu(t) x_0 + sigma(t) z (Song et al. 2021). Times run from <see cref="Epsilon"/> to <see cref="T"/>.
/// <para>Every coefficient exists twice: for one time on the host (samplers step on a host grid) and for a batch of
/// times as a tensor on the batch's device (networks, losses and likelihoods see per-sample times and must not read
/// them back to the host). The tensor forms compute in float64 and return (B,) float64 tensors; a test holds the two
/// equal.</para>
/// </summary>
public abstract class Sde
{
    /// <summary>Short name used in configs and FITS headers: ve, vp, vp-cosine, vp-cosine-clipped, subvp, edm, ddpm.</summary>
    public abstract string Name { get; }

    /// <summary>Final time (1 for all but EDM, where t is sigma and T = sigma_max).</summary>
    public virtual double T => 1.0;

    /// <summary>Smallest time used in training and sampling.</summary>
    public virtual double Epsilon => 1e-3;

    /// <summary>Mean scale of the kernel, x_t = mu(t) x_0 + sigma(t) z.</summary>
    public abstract double Mu(double t);

    /// <summary>Standard deviation of the kernel.</summary>
    public abstract double Sigma(double t);

    /// <summary>mu(t) for a batch of times (B,), as (B,) float64 on their device.</summary>
    public abstract Tensor Mu(Tensor t);

    /// <summary>sigma(t) for a batch of times (B,), as (B,) float64 on their device.</summary>
    public abstract Tensor Sigma(Tensor t);

    /// <summary>f(t) in the drift f(t) x (d log mu / dt).</summary>
    public abstract double DriftCoefficient(double t);

    /// <summary>g(t), the diffusion coefficient.</summary>
    public abstract double Diffusion(double t);

    /// <summary>Standard deviation of the prior p_T = N(0, s^2 I).</summary>
    public virtual double PriorSigma => Math.Sqrt(Math.Pow(Sigma(T), 2) + Math.Pow(Mu(T), 2) * PriorDataVariance);

    /// <summary>Variance of the data assumed by the prior (0: x_T ~ N(0, sigma(T)^2); VP adds mu(T)^2, which is ~0).</summary>
    protected virtual double PriorDataVariance => 0.0;

    /// <summary>sigma(t)/mu(t): the noise level of x/mu, a variance-exploding process (Karras et al. 2022, eq. 4).</summary>
    public double NoiseRatio(double t) => Sigma(t) / Mu(t);

    /// <summary>x_t = mu(t) x_0 + sigma(t) z for one time <paramref name="t"/> of the whole batch; a new tensor.</summary>
    public Tensor Perturb(Tensor x0, double t, Tensor z)
    {
        using var scaled = x0.Mul(Mu(t));
        return scaled.Add(z, Sigma(t));
    }

    /// <summary>x_t = mu(t) x_0 + sigma(t) z with one time per sample, <paramref name="t"/> (B,); a new tensor in x_0's dtype.</summary>
    public Tensor Perturb(Tensor x0, Tensor t, Tensor z)
    {
        using var scope = torch.NewDisposeScope();
        var mu = PerSample.Broadcast(Mu(t), x0);
        var sigma = PerSample.Broadcast(Sigma(t), x0);
        var mean = x0.Mul(mu);
        var noise = z.Mul(sigma);
        return mean.Add(noise).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The forward transition from time s to t &gt; s: x_t = (mu_t/mu_s) x_s + sqrt(sigma_t^2 - (mu_t/mu_s)^2 sigma_s^2) z
    /// (the kernel of x_t given x_s; RePaint's jump back).
    /// </summary>
    public Tensor Transition(Tensor xs, double s, double t, Tensor z)
    {
        double ratio = Mu(t) / Mu(s);
        double variance = Math.Max(Math.Pow(Sigma(t), 2) - ratio * ratio * Math.Pow(Sigma(s), 2), 0);
        using var scaled = xs.Mul(ratio);
        return scaled.Add(z, Math.Sqrt(variance));
    }

    public Tensor PriorSample(long[] shape, SampleNoise noise, Device? device = null)
    {
        using var z = noise.Randn(shape, DType.Float32, device);
        return z.Mul(PriorSigma);
    }

    /// <summary>log N(x; 0, PriorSigma^2 I) per sample (summed over all but the first axis), in nats.</summary>
    public Tensor PriorLogDensity(Tensor x)
    {
        long d = x.Numel / x.Size(0);
        double s2 = PriorSigma * PriorSigma;
        using var sq = x.Square();
        using var flat = sq.Flatten(1);
        using var ss = flat.Sum(1);
        using var scaled = ss.Mul(-0.5 / s2);
        return scaled.Add(-0.5 * d * Math.Log(2 * Math.PI * s2));
    }

    /// <summary>
    /// The time at which sigma(t)/mu(t) equals <paramref name="ratio"/>, clamped to [epsilon, T] (sigma/mu increases with t
    /// for every SDE here): bisection, exact where an SDE overrides it.
    /// </summary>
    public virtual double TimeOfNoiseRatio(double ratio)
    {
        if (ratio >= NoiseRatio(T)) return T;
        if (ratio <= NoiseRatio(Epsilon)) return Epsilon;
        double lo = Epsilon, hi = T;
        for (int k = 0; k < 100; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (NoiseRatio(mid) < ratio) lo = mid; else hi = mid;
        }
        return Math.Clamp(0.5 * (lo + hi), Epsilon, T);
    }

    /// <summary>
    /// <see cref="TimeOfNoiseRatio(double)"/> for a batch of ratios (B,), closed form, clamped to [epsilon, T]; (B,) float64.
    /// A learned noise model asks for the time of its own SDE at the noise level the posterior needs.
    /// </summary>
    public abstract Tensor TimeOfNoiseRatio(Tensor ratio);

    /// <summary>
    /// The grid on the times this SDE can take: continuous SDEs return it unchanged; DDPM snaps every point to one of its
    /// discrete steps and drops repeats (so the grid may come back shorter).
    /// </summary>
    public virtual double[] Discretise(double[] grid) => grid;

    /// <summary>
    /// The time grid to use when a sampler's default is <paramref name="samplerDefault"/>: that grid, unless this SDE's
    /// time makes it a poor choice (EDM, where a uniform grid in t is uniform in sigma, far too coarse at low noise).
    /// </summary>
    public virtual string DefaultGrid(string samplerDefault) => samplerDefault;

    /// <summary>(B,) times as float64, the dtype every tensor coefficient is computed in.</summary>
    protected static Tensor Float64(Tensor t) => t.To(DType.Float64);

    /// <summary>Clamps tensor times to [epsilon, T].</summary>
    protected Tensor ClampTime(Tensor t) => t.Clamp(Epsilon, T);

    public override string ToString() => Name;
}
