using Scorpio.Diffusion;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;
using Xunit.Abstractions;
using static Scorpio.Tests.Inverse.LinearGaussianSetup;

namespace Scorpio.Tests.Inverse;

/// <summary>SDEdit transfer at its two limits, with analytic Gaussian priors (VP SDE, Euler-Maruyama).</summary>
public class TransferTests(ITestOutputHelper output)
{
    private static readonly VpSde Sde = new();

    /// <summary>
    /// t -&gt; 0 returns the input, up to the noise level sigma(t0): the change is noise that Tweedie's last step cannot fully remove
    /// plus that step's shrinkage of structure the Gaussian prior finds unlikely. Stated: at t0 = 0.002 (sigma 0.016 in normalised
    /// units, galaxy pixels have sd 1) the RMS change is below 3 sigma(t0), and the change shrinks monotonically as t0 decreases
    /// through 0.3, 0.05, 0.01, 0.002 (so the test cannot pass by returning the input unchanged at every t). Measured RMS changes
    /// 0.138, 0.065, 0.043, 0.018 (= 1.2 sigma(0.002)) for an input of RMS 0.29.
    /// </summary>
    [Fact]
    public void SmallTimesReturnTheInput()
    {
        torch.NumThreads = 2;
        using var prior = new GalaxyGaussianPrior(Sde);
        using var galaxies = GalaxyGaussianPrior.Galaxies(prior.Simulator, 2, 77);
        using var input = galaxies.Div(prior.Scale);
        var sampler = SamplerRegistry.Get("euler-maruyama");
        var options = new SamplerOptions { Steps = 200 };
        double Change(double fraction)
        {
            using var rng = new Generator(4);
            using var outp = SdeditTransfer.Transfer(sampler, prior.Score, Sde, input, fraction, rng, options);
            using var d = outp.Sub(input);
            return d.Square().Mean().Sqrt().ToDouble();
        }
        var fractions = new[] { 0.3, 0.05, 0.01, 0.002 };
        var changes = fractions.Select(Change).ToArray();
        double rms = input.Square().Mean().Sqrt().ToDouble(), sigma = Sde.Sigma(0.002);
        output.WriteLine($"input RMS {rms:F3}; RMS change at t = {string.Join(", ", fractions.Zip(changes, (f, c) => $"{f}: {c:F4}"))}; sigma(0.002) = {sigma:F4}");
        Assert.True(changes[^1] < 3 * sigma, $"t -> 0 changed the input by {changes[^1]:F4} (sigma = {sigma:F4})");
        for (int i = 1; i < changes.Length; i++) Assert.True(changes[i] < changes[i - 1]);
    }

    /// <summary>
    /// t = 1 forgets the input: 400 transfers of an image far from the prior (every pixel +3 prior sd) are distributed as the prior
    /// N(m, C) itself (8x8 prior of the linear-Gaussian tests, 100 Karras steps). Stated with the posterior tests' statistics:
    /// meanZ (in prior sd) &lt; 0.25, whitened variance in [0.85, 1.15], flux variance in [0.75, 1.3].
    /// </summary>
    [Fact]
    public void UnitTimeGivesUnconditionalPriorSamples()
    {
        torch.NumThreads = 2;
        using var prior = Prior(Sde);
        using var sd = torch.Diagonal(prior.Covariance).Sqrt();
        using var far = prior.Mean.Add(sd.Mul(3.0)).Reshape(1, 1, 8, 8).To(DType.Float32);
        using var input = far.Expand(400, 1, 8, 8).Contiguous();
        using var rng = new Generator(8);
        using var outp = SdeditTransfer.Transfer(SamplerRegistry.Get("euler-maruyama"), prior, Sde, input, 1.0, rng, new SamplerOptions { Steps = 100, Grid = "karras" });
        var (meanZ, white, flux) = Compare(outp, prior.Mean, prior.Covariance);
        output.WriteLine($"t = 1 transfers vs prior: meanZ {meanZ:F3}, whitened {white:F3}, flux {flux:F3}");
        Assert.True(meanZ < 0.25);
        Assert.InRange(white, 0.85, 1.15);
        Assert.InRange(flux, 0.75, 1.3);
    }
}
