using Scorpio.Models;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Models;

/// <summary>
/// A known stationary Gaussian on (1, n, n) images, written independently of the FFT code under test: the covariance is
/// dense, C_ij = a k(dy) k(dx) + w delta_ij with k(d) = sum_k exp(-(d + k n)^2 / (2 l^2)) the squared exponential summed over
/// the periodic images, and
/// the mean a centred round blob. Its circulant eigenvalues are the 2-D DFT of C's first row, which is how the analytic prior
/// (<see cref="GaussianPriorNetwork"/>) is loaded; the tests compare that prior with dense float64 algebra on <see cref="Covariance"/>.
/// </summary>
internal sealed class StationaryGaussian : IDisposable
{
    public StationaryGaussian(int size, double amplitude = 1.0, double length = 1.5, double white = 0.01, double meanAmplitude = 1.0, double meanWidth = 2.0)
    {
        Size = size;
        int n = size * size;
        var cov = new double[n * n];
        var mean = new double[n];
        double centre = (size - 1) / 2.0;
        // The periodic sum over the images of pixel j keeps the kernel positive definite on the torus (wrapping the distance does not).
        double Periodic(int d)
        {
            double sum = 0;
            for (int k = -3; k <= 3; k++) sum += Math.Exp(-Math.Pow(d + k * size, 2) / (2 * length * length));
            return sum;
        }
        for (int i = 0; i < n; i++)
        {
            int yi = i / size, xi = i % size;
            mean[i] = meanAmplitude * Math.Exp(-((yi - centre) * (yi - centre) + (xi - centre) * (xi - centre)) / (2 * meanWidth * meanWidth));
            for (int j = 0; j < n; j++)
            {
                cov[i * n + j] = amplitude * Periodic(yi - j / size) * Periodic(xi - j % size) + (i == j ? white : 0);
            }
        }
        Covariance = torch.FromArray(cov, n, n).DetachFromDisposeScope();
        Mean = torch.FromArray(mean, n).DetachFromDisposeScope();
        using var scope = torch.NewDisposeScope();
        var row = Covariance.Select(0, 0).Reshape(1, size, size);
        Spectrum = torch.Rfft2(row).Real().Contiguous().DetachFromDisposeScope();
    }

    public int Size { get; }
    /// <summary>(n^2, n^2) float64.</summary>
    public Tensor Covariance { get; }
    /// <summary>(n^2,) float64.</summary>
    public Tensor Mean { get; }
    /// <summary>(1, n, n/2 + 1) float64: the eigenvalues on the rfft2 grid.</summary>
    public Tensor Spectrum { get; }

    public RunConfig Config(string sde) => new()
    {
        Sde = new SdeConfig { Name = sde, SigmaMax = sde == "ve" ? 30 : null },
        Network = new NetworkConfig { Arch = GaussianPriorNetwork.Arch, InChannels = 1, ImageSize = Size },
        Normalization = new() { Kind = "none" },
        Data = new DataConfig { Shape = [1, Size, Size] },
    };

    /// <summary>The analytic prior of this Gaussian under <paramref name="sde"/>, as a run would load it.</summary>
    public ScoreModel Model(string sde)
    {
        var config = Config(sde);
        var network = new GaussianPriorNetwork(config.Network);
        using var mean = Mean.Reshape(1, Size, Size);
        network.LoadStateDict(new Dictionary<string, Tensor> { ["mean"] = mean, ["spectrum"] = Spectrum });
        return new ScoreModel(config, network, Device.CPU);
    }

    /// <summary>n exact draws (n, 1, size, size) float64 by a Cholesky factor of the dense covariance.</summary>
    public Tensor Draw(int n, Generator rng)
    {
        using var scope = torch.NewDisposeScope();
        var l = torch.Cholesky(Covariance);
        var z = torch.Randn([n, Mean.Size(0)], rng, DType.Float64);
        return z.Matmul(l.MT).Add(Mean).Reshape(n, 1, Size, Size).MoveToOuterDisposeScope();
    }

    /// <summary>The exact score -(mu^2 C + sigma^2 I)^-1 (x - mu m) of the perturbed density, dense, for one (mu, sigma).</summary>
    public Tensor Score(Tensor x, double mu, double sigma)
    {
        using var scope = torch.NewDisposeScope();
        long n = Mean.Size(0);
        var k = Covariance.Mul(mu * mu).Add(torch.Eye(n, DType.Float64).Mul(sigma * sigma));
        var centred = x.To(DType.Float64).Reshape(x.Size(0), n).Sub(Mean.Mul(mu));
        return torch.Solve(k, centred.MT).MT.Neg().Reshape(x.Shape).MoveToOuterDisposeScope();
    }

    /// <summary>d E[x_0 | x_t] / d x_t = mu C (mu^2 C + sigma^2 I)^-1, dense (symmetric).</summary>
    public Tensor DenoiserJacobian(double mu, double sigma)
    {
        using var scope = torch.NewDisposeScope();
        long n = Mean.Size(0);
        var k = Covariance.Mul(mu * mu).Add(torch.Eye(n, DType.Float64).Mul(sigma * sigma));
        return torch.Solve(k, Covariance).Mul(mu).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Covariance.Dispose();
        Mean.Dispose();
        Spectrum.Dispose();
    }
}
