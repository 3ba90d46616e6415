using Scorpio.Diffusion;
using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>
/// The stationary Gaussian prior N(m, C) as a "network" with no trainable weights (arch gaussian): the buffers
/// <c>mean</c> m, (C, H, W), and <c>spectrum</c> P, (C, H, W/2+1), the eigenvalues of the circulant covariance of each
/// channel (C v = F^-1 [P F v] with the orthonormal 2-D DFT F; channels independent). Fitted from data by
/// <see cref="Fit"/>, not trained. For x_t = mu x_0 + sigma z the perturbed density is N(mu m, mu^2 C + sigma^2 I), diagonal
/// in the Fourier basis; <see cref="Forward"/> returns the exact noise prediction of its variance-exploding form at noise
/// level r = sigma / mu: eps(x~, r) = r (C + r^2 I)^-1 (x~ - m) with x~ = x_t / mu, which
/// <see cref="Models.GaussianParametrisation"/> turns into the exact score and denoiser of every SDE. Differentiable in x
/// (FFTs and a per-frequency scaling); the Wiener filter is the r -&gt; noise-level limit of its denoiser.
/// </summary>
public sealed class GaussianPriorNetwork : ScoreNetwork
{
    /// <summary>The architecture's name in config.json (network.arch) and <c>scorpio train --arch</c>.</summary>
    public const string Arch = "gaussian";

    /// <summary>Smallest eigenvalue kept, relative to the mean eigenvalue of the channel: keeps C positive definite.</summary>
    public const double SpectrumFloor = 1e-6;

    /// <summary>An empty prior (zero mean, zero spectrum) of the configured shape, for <see cref="Torch.NN.Module.LoadStateDict"/>.</summary>
    public GaussianPriorNetwork(NetworkConfig config)
    {
        if (config.InChannels < 1 || config.ImageSize < 2)
            throw new ArgumentException($"GaussianPriorNetwork: InChannels ({config.InChannels}) must be >= 1 and ImageSize ({config.ImageSize}) >= 2");
        Channels = config.InChannels;
        Size = config.ImageSize;
        RegisterBuffer("mean", torch.Zeros([Channels, Size, Size], DType.Float64));
        RegisterBuffer("spectrum", torch.Zeros([Channels, Size, Size / 2 + 1], DType.Float64));
    }

    /// <summary>Image channels C.</summary>
    public int Channels { get; }
    /// <summary>Image side in pixels.</summary>
    public int Size { get; }
    /// <summary>The mean image m, (C, H, W) float64.</summary>
    public Tensor Mean => Buffer("mean");
    /// <summary>The eigenvalues P of each channel's covariance on the rfft2 grid, (C, H, W/2+1) float64.</summary>
    public Tensor Spectrum => Buffer("spectrum");

    // The float64 buffers in the sampling dtype and device, converted once per buffer tensor (Module.To makes new ones).
    private readonly DeviceCopies _copies = new();

    // Looked up each call: Module.To replaces buffer tensors.
    private Tensor Buffer(string name) => NamedBuffers().First(b => b.Name == name).Buffer;

    /// <summary>
    /// Fits m and P to <paramref name="data"/> (N, C, H, W), N &gt;= 2, in the model's normalised units: m the per-pixel mean,
    /// P the mean periodogram |F(x - m)|^2 (orthonormal DFT) times N / (N - 1), which is unbiased for the eigenvalues of a
    /// periodic stationary covariance, floored at <see cref="SpectrumFloor"/> times its channel mean.
    /// </summary>
    public static GaussianPriorNetwork Fit(NetworkConfig config, Tensor data)
    {
        if (data.Dim != 4 || data.Size(1) != config.InChannels || data.Size(2) != config.ImageSize || data.Size(3) != config.ImageSize)
            throw new ArgumentException($"GaussianPriorNetwork.Fit: data of shape ({string.Join(", ", data.Shape)}) do not match (N, {config.InChannels}, {config.ImageSize}, {config.ImageSize})");
        long n = data.Size(0);
        if (n < 2) throw new ArgumentException($"GaussianPriorNetwork.Fit: a covariance needs at least 2 images, got {n}");
        var network = new GaussianPriorNetwork(config);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var x = data.To(Device.CPU, DType.Float64);
        var mean = x.Mean([0]);
        var power = torch.Rfft2(x.Sub(mean), norm: "ortho").Abs().Square().Mean([0]).Mul(n / (n - 1.0));
        var floor = power.Mean([1, 2], keepDim: true).Mul(SpectrumFloor);
        network.Mean.Copy_(mean);
        network.Spectrum.Copy_(power.Maximum(floor));
        return network;
    }

    /// <summary>
    /// eps = r F^-1 [F(x~ - m) / (P + r^2)] for inputs x~ (B, C, H, W) at noise levels r = <paramref name="condition"/> (B,);
    /// computed in x's dtype.
    /// </summary>
    public override Tensor Forward(Tensor x, Tensor condition)
    {
        using var scope = torch.NewDisposeScope();
        var r = NetworkChecks.Image(nameof(GaussianPriorNetwork), x, condition, Channels, 1);
        if (x.Size(2) != Size || x.Size(3) != Size)
            throw new ArgumentException($"GaussianPriorNetwork: the prior was fitted on {Size}x{Size} images, got {x.Size(2)}x{x.Size(3)}");
        var mean = _copies.Like(Mean, x);
        var spectrum = _copies.Like(Spectrum, x);
        var r4 = PerSample.Broadcast(r, x);
        var f = torch.Rfft2(x.Sub(mean), norm: "ortho");
        var filtered = f.Div(spectrum.Add(r4.Square()));
        return torch.Irfft2(filtered, [Size, Size], norm: "ortho").Mul(r4).MoveToOuterDisposeScope();
    }

    public override void Dispose()
    {
        _copies.Dispose();
        base.Dispose();
    }
}
