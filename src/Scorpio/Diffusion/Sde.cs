using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// A forward diffusion with linear drift, dx = f(t) x dt + g(t) dw, whose perturbation kernel is
/// x_t = mu(t) x_0 + sigma(t) z (METHODS.md section 1). Times run from <see cref="Epsilon"/> to <see cref="T"/>.
/// </summary>
public abstract class Sde
{
    /// <summary>Short name used in configs and FITS headers: ve, vp, vp-cosine, subvp, edm, ddpm.</summary>
    public abstract string Name { get; }

    /// <summary>Final time (1 for all but EDM, where t is sigma and T = sigma_max).</summary>
    public virtual double T => 1.0;

    /// <summary>Smallest time used in training and sampling.</summary>
    public virtual double Epsilon => 1e-3;

    /// <summary>Mean scale of the kernel, x_t = mu(t) x_0 + sigma(t) z.</summary>
    public abstract double Mu(double t);

    /// <summary>Standard deviation of the kernel.</summary>
    public abstract double Sigma(double t);

    /// <summary>f(t) in the drift f(t) x (d log mu / dt).</summary>
    public abstract double DriftCoefficient(double t);

    /// <summary>g(t), the diffusion coefficient.</summary>
    public abstract double Diffusion(double t);

    /// <summary>Standard deviation of the prior p_T = N(0, s^2 I).</summary>
    public virtual double PriorSigma => Math.Sqrt(Math.Pow(Sigma(T), 2) + Math.Pow(Mu(T), 2) * PriorDataVariance);

    /// <summary>Variance of the data assumed by the prior (0: x_T ~ N(0, sigma(T)^2); VP adds mu(T)^2, which is ~0).</summary>
    protected virtual double PriorDataVariance => 0.0;

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

    /// <summary>Time at which sigma(t)/mu(t) equals <paramref name="ratio"/> (bisection; used by SDEdit and grids).</summary>
    public double TimeForNoiseRatio(double ratio)
    {
        double lo = Epsilon, hi = T;
        for (int k = 0; k < 100; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (Sigma(mid) / Mu(mid) < ratio) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    public override string ToString() => Name;
}
