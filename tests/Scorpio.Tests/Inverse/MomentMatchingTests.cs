using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Tests.Calibration;
using Scorpio.Tests.Models;
using Scorpio.Torch;
using Xunit.Abstractions;
using PsfModel = Scorpio.Astro.Simulation.PsfModel;
using static Scorpio.Tests.Inverse.InverseTestUtil;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// The moment-matching posterior score (MMPS) is exact for a Gaussian prior: with the analytic prior (arch gaussian, float64)
/// and a converged conjugate-gradient solve it equals the closed-form grad log p_t(x_t | y) of
/// <see cref="DenseGaussianPosterior"/>, for every kind of linear operator and noise the library has.
/// </summary>
public class MomentMatchingTests(ITestOutputHelper output)
{
    private readonly int _threads = torch.NumThreads = 2;
    private static readonly long[] Shape = [1, 8, 8];

    private static ForwardOperator Operator(string name)
    {
        using var psf = Psf.FromModel(PsfModel.Gaussian, 2.0, 5);
        switch (name)
        {
            case "psf+pool": return new Compose(new PsfConvolution(psf, Shape), new AveragePooling(2, Shape));
            case "mask":
                using (var m = Randn([8, 8], 3)) using (var keep = m.Gt(-0.5)) return new MaskOperator(keep, Shape);
            case "warp":
                {
                    var c = new double[2 * 6 * 6];
                    for (int i = 0; i < 6; i++)
                        for (int j = 0; j < 6; j++)
                        {
                            c[i * 6 + j] = 1.3 * j + 0.2 * i + 0.4;
                            c[36 + i * 6 + j] = 1.2 * i - 0.1 * j + 0.7;
                        }
                    using var coordinates = torch.FromArray(c, 2, 6, 6);
                    return new BilinearWarp(coordinates, Shape);
                }
            case "multi-exposure":
                {
                    var c = new double[2 * 8 * 8];
                    for (int i = 0; i < 8; i++)
                        for (int j = 0; j < 8; j++) { c[i * 8 + j] = j + 0.5; c[64 + i * 8 + j] = i + 0.5; }
                    using var shifted = torch.FromArray(c, 2, 8, 8);
                    return new MultiExposure(
                        new Compose(new PsfConvolution(psf, Shape), new AveragePooling(2, Shape)),
                        new Compose(new BilinearWarp(shifted, Shape), new AveragePooling(2, Shape)));
                }
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>The noise kind on <paramref name="a"/>'s output and its dense precision.</summary>
    private static (GaussianNoise Noise, Tensor Precision) Noise(string kind, ForwardOperator a)
    {
        long m = a.OutputSize;
        using var scope = torch.NewDisposeScope();
        switch (kind)
        {
            case "white":
                {
                    var sigma = torch.Full(a.OutputShape, 0.1, DType.Float64);
                    return (GaussianNoise.White(0.1), DenseGaussianPosterior.DiagonalPrecision(sigma).MoveToOuterDisposeScope());
                }
            case "per-pixel+mask":
                {
                    var sigma = Randn(a.OutputShape, 4).Abs().Mul(0.1).Add(0.05);
                    var mask = Randn(a.OutputShape, 5).Gt(-1.0).To(DType.Float64);
                    return (GaussianNoise.PerPixel(sigma, mask), DenseGaussianPosterior.DiagonalPrecision(sigma, mask).MoveToOuterDisposeScope());
                }
            case "dense":
                {
                    var g = Randn([m, m], 6).Mul(0.02);
                    var cov = g.Matmul(g.MT).Add(torch.Eye(m, DType.Float64).Mul(0.01));
                    return (GaussianNoise.Dense(cov), torch.Inverse(cov).MoveToOuterDisposeScope());
                }
            default: throw new ArgumentException(kind);
        }
    }

    /// <summary>
    /// With twice as many CG iterations as observed pixels (CG is exact after m steps in exact arithmetic; at large t the system
    /// is ill-conditioned and m float64 iterations left 3e-6), MMPS equals the exact posterior score to 1e-6 relative at small, middle and large times, with per-sample times in one
    /// batch, for a PSF with pooling, a mask, a warp and two exposures, under white, masked per-pixel and dense noise.
    /// </summary>
    [Theory]
    [InlineData("psf+pool", "white", "vp")]
    [InlineData("psf+pool", "per-pixel+mask", "edm")]
    [InlineData("psf+pool", "dense", "ve")]
    [InlineData("mask", "white", "edm")]
    [InlineData("warp", "per-pixel+mask", "vp")]
    [InlineData("multi-exposure", "per-pixel+mask", "edm")]
    public void EqualsTheExactPosteriorScoreOfAGaussianPrior(string op, string noiseKind, string sde)
    {
        using var g = new StationaryGaussian(8);
        using var model = g.Model(sde);
        model.Network.To(Device.CPU, DType.Float64);
        using var a = Operator(op);
        var (noise, precision) = Noise(noiseKind, a);
        using var _ = noise;
        using var exact = new DenseGaussianPosterior(g, a, precision);
        using var rng = new Generator(9);
        using var truth = g.Draw(1, rng);
        using var clean = a.Apply(truth);
        using var y = clean.Add(Randn(clean.Shape, 10), 0.1).Squeeze(0);
        using var mmps = new MomentMatchingScore(model, model.Sde, a, y, noise, 2 * (int)a.OutputSize);
        double[] times = [model.Sde.Epsilon * 3, 0.2 * model.Sde.T, 0.8 * model.Sde.T];
        using var x = Randn([3, .. Shape], 11);
        using var t = torch.FromArray(times);
        using var score = mmps.Score(x, t);
        for (int i = 0; i < 3; i++)
        {
            using var xi = x.Narrow(0, i, 1);
            using var reference = exact.Score(xi, y, model.Sde.Mu(times[i]), model.Sde.Sigma(times[i]));
            using var si = score.Narrow(0, i, 1);
            double error = MaxAbsDiff(si, reference) / Norm(reference);
            output.WriteLine($"{op} {noiseKind} {sde} t={times[i]:G3}: relative error {error:E2}");
            Assert.True(error < 1e-6, $"t={times[i]}: relative error {error:E2}");
        }
    }

    /// <summary>
    /// One evaluation reads nothing back to the host after a warm-up call (fixed CG iterations, device-side mu and sigma), with
    /// masked per-pixel noise, in float32 as the samplers run it.
    /// </summary>
    [Fact]
    public void AnEvaluationMakesNoHostReads()
    {
        using var g = new StationaryGaussian(8);
        using var model = g.Model("edm");
        using var a = Operator("psf+pool");
        var (noise, precision) = Noise("per-pixel+mask", a);
        using var _ = noise;
        precision.Dispose();
        using var y = Randn(a.OutputShape, 12, DType.Float32);
        using var mmps = new MomentMatchingScore(model, model.Sde, a, y, noise, 3);
        using var x = Randn([2, .. Shape], 13, DType.Float32);
        using var t = torch.FromArray(new float[] { 0.5f, 3f });
        mmps.Score(x, t).Dispose();
        long before = torch.HostReads;
        mmps.Score(x, t).Dispose();
        Assert.Equal(0, torch.HostReads - before);
    }
}
