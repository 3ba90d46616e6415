using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Likelihoods;

/// <summary>
/// The analytic noise score of Gaussian noise N(0, Sigma_eta) perturbed by N(0, sigma^2 A A^T):
/// grad_v log q(v) = -(mu^2 Sigma_eta + sigma^2 A A^T)^-1 v. With it SLIC reduces exactly to the Gaussian
/// likelihood (a test of the SLIC plumbing), and with a correlated Sigma_eta (stripes) it is the best Gaussian
/// description of structured noise.
/// </summary>
public sealed class GaussianNoiseScore : INoiseScore, IDisposable
{
    private readonly ConvolvedCovariance _covariance;

    public GaussianNoiseScore(ForwardOperator a, GaussianNoise noise, CovarianceForm form = CovarianceForm.Auto)
    {
        Shape = a.OutputShape;
        _covariance = new ConvolvedCovariance(a, noise, form);
    }

    public long[] Shape { get; }

    public Tensor Score(Tensor v, Tensor mu, Tensor sigma)
    {
        using var solved = _covariance.Solve(v, mu, sigma);
        return solved.Neg();
    }

    public void Dispose() => _covariance.Dispose();
}
