using Scorpio.Astro.Simulation;
using Scorpio.Diffusion;
using Scorpio.Posterior;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// A Gaussian prior fitted to simulated galaxies (16x16, one band, no noise): the empirical mean and covariance of 2000
/// <see cref="GalaxySimulator"/> stamps in units of their pixel standard deviation, plus 1e-3 on the diagonal. Its score
/// is analytic (so the inpainting and transfer tests test the algorithms, not a network), and it describes the galaxies'
/// light profiles well enough to predict masked pixels from their neighbours.
/// </summary>
internal sealed class GalaxyGaussianPrior : IDisposable
{
    public const int Size = 16;
    public static readonly long[] Shape = [1, Size, Size];

    public GalaxyGaussianPrior(Sde sde, int count = 2000, long seed = 5, double jitter = 1e-3)
    {
        var sim = new GalaxySimulator(new GalaxySimulatorOptions().ForSize(Size) with { NoiseSigma = 0 });
        using var scope = torch.NewDisposeScope();
        var x = Galaxies(sim, count, seed).To(DType.Float64).Reshape(count, -1);
        Scale = x.Std().ToDouble();
        var z = x.Div(Scale);
        var mean = z.Mean(0);
        var c = z.Sub(mean);
        var cov = c.MT.Matmul(c).Div(count - 1.0).Add(torch.Eye(Size * Size, DType.Float64).Mul(jitter));
        Score = new GaussianPriorScore(mean, cov, Shape, sde);
        Simulator = sim;
    }

    public GalaxySimulator Simulator { get; }
    /// <summary>Physical units per normalised unit.</summary>
    public double Scale { get; }
    public GaussianPriorScore Score { get; }

    public PriorModel Model => new(Score, Score.Sde, Shape, new PriorUnits([Scale], [0.0]), "gaussian fitted to simulated galaxies");

    /// <summary>n galaxies (n, 1, 16, 16) float32, physical units.</summary>
    public static Tensor Galaxies(GalaxySimulator sim, int n, long seed)
    {
        var images = sim.Simulate(n, seed).Images;
        return torch.FromArray(images.Data, n, 1, Size, Size);
    }

    public void Dispose() => Score.Dispose();
}
