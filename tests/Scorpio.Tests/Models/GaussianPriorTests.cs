using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Tests.Inverse;

namespace Scorpio.Tests.Models;

/// <summary>
/// The analytic stationary Gaussian prior (arch gaussian) against dense float64 closed forms on 8x8 images: its score and
/// denoiser under every SDE, the vector-Jacobian product of its denoiser (dense Jacobian and finite differences), the fit
/// of mean and spectrum from samples, a sampler's output against the analytic marginals, and no host reads.
/// </summary>
public class GaussianPriorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly int _threads = torch.NumThreads = 2;

    private static readonly string[] Sdes = ["ve", "vp", "subvp", "vp-cosine", "edm", "ddpm"];

    /// <summary>
    /// Score and denoiser equal the dense closed forms -(mu^2 C + sigma^2 I)^-1 (x - mu m) and (x + sigma^2 s) / mu to 1e-9
    /// relative (float64 FFTs against a dense solve), at small, middle and large times of each SDE, with per-sample times.
    /// </summary>
    [Theory]
    [InlineData("ve")]
    [InlineData("vp")]
    [InlineData("subvp")]
    [InlineData("vp-cosine")]
    [InlineData("edm")]
    [InlineData("ddpm")]
    public void ScoreAndDenoiserEqualTheDenseClosedForm(string sde)
    {
        using var g = new StationaryGaussian(8);
        using var model = g.Model(sde);
        model.Network.To(Device.CPU, DType.Float64);
        var sdeObj = model.Sde;
        double[] times = [sdeObj.Epsilon * 2, 0.3 * sdeObj.T, 0.9 * sdeObj.T];
        using var x = InverseTestUtil.Randn([3, 1, 8, 8], 5);
        using var t = torch.FromArray(times);
        using var score = model.Score(x, t);
        using var denoised = model.Denoise(x, t);
        using var sigmaScore = model.SigmaScore(x, t);
        for (int i = 0; i < 3; i++)
        {
            double mu = sdeObj.Mu(times[i]), sigma = sdeObj.Sigma(times[i]);
            using var xi = x.Narrow(0, i, 1);
            using var exact = g.Score(xi, mu, sigma);
            using var si = score.Narrow(0, i, 1);
            Assert.True(InverseTestUtil.MaxAbsDiff(si, exact) <= 1e-9 * InverseTestUtil.Norm(exact), $"{sde} t={times[i]}: score");
            using var ns = sigmaScore.Narrow(0, i, 1);
            using var nsExact = exact.Mul(sigma);
            Assert.True(InverseTestUtil.MaxAbsDiff(ns, nsExact) <= 1e-9 * InverseTestUtil.Norm(nsExact), $"{sde} t={times[i]}: sigma score");
            using var dExact = xi.Add(exact, sigma * sigma).Div(mu);
            using var di = denoised.Narrow(0, i, 1);
            Assert.True(InverseTestUtil.MaxAbsDiff(di, dExact) <= 1e-9 * InverseTestUtil.Norm(dExact), $"{sde} t={times[i]}: denoiser");
        }
    }

    /// <summary>
    /// The denoiser is differentiable in x: its VJP equals J^T v for the dense Jacobian mu C (mu^2 C + sigma^2 I)^-1 (1e-10) and a
    /// central finite difference of v . D(x + h w) along a random w (1e-7 relative, h = 1e-4).
    /// </summary>
    [Fact]
    public void DenoiserVjpMatchesTheDenseJacobianAndFiniteDifferences()
    {
        using var g = new StationaryGaussian(8);
        using var model = g.Model("vp");
        model.Network.To(Device.CPU, DType.Float64);
        double time = 0.4, mu = model.Sde.Mu(time), sigma = model.Sde.Sigma(time);
        using var x = InverseTestUtil.Randn([1, 1, 8, 8], 6);
        using var v = InverseTestUtil.Randn([1, 1, 8, 8], 7);
        using var w = InverseTestUtil.Randn([1, 1, 8, 8], 8);
        using var t = torch.Full([1], time, DType.Float64);
        Tensor vjp;
        using (torch.EnableGrad())
        {
            using var leaf = x.Detach();
            leaf.RequiresGrad = true;
            using var d = model.Denoise(leaf, t);
            vjp = torch.Vjp(d, leaf, v);
        }
        using (vjp)
        {
            using var jac = g.DenoiserJacobian(mu, sigma);
            using var dense = v.Reshape(1, 64).Matmul(jac).Reshape(1, 1, 8, 8);
            Assert.True(InverseTestUtil.MaxAbsDiff(vjp, dense) < 1e-10 * InverseTestUtil.Norm(dense));
            const double h = 1e-4;
            using var plus = x.Add(w, h);
            using var minus = x.Add(w, -h);
            using var dPlus = model.Denoise(plus, t);
            using var dMinus = model.Denoise(minus, t);
            double fd = (InverseTestUtil.Inner(v, dPlus) - InverseTestUtil.Inner(v, dMinus)) / (2 * h);
            double analytic = InverseTestUtil.Inner(vjp, w);
            Assert.True(Math.Abs(fd - analytic) < 1e-7 * Math.Abs(analytic), $"finite difference {fd} vs VJP {analytic}");
        }
    }

    /// <summary>
    /// The fit recovers mean and spectrum from 4000 exact draws: the mean within 5 Monte Carlo standard errors per pixel
    /// (sqrt(C_ii / N)), and the spectrum's relative error per frequency within 5 sqrt(2 / N) (a periodogram is a scaled
    /// chi^2 with 1-2 degrees of freedom, averaged over N images; the two real frequencies of each rfft column pair share draws).
    /// </summary>
    [Fact]
    public void FitRecoversMeanAndSpectrum()
    {
        using var g = new StationaryGaussian(8);
        const int n = 4000;
        using var rng = new Generator(21);
        using var data = g.Draw(n, rng);
        using var network = GaussianPriorNetwork.Fit(g.Config("vp").Network, data);
        using var scope = torch.NewDisposeScope();
        var meanError = network.Mean.Reshape(64).Sub(g.Mean).Div(torch.Diagonal(g.Covariance).Div(n).Sqrt()).Abs().Max().ToDouble();
        Assert.True(meanError < 5, $"mean off by {meanError:F2} standard errors");
        var relative = network.Spectrum.Div(g.Spectrum).Sub(1).Abs().Max().ToDouble();
        Assert.True(relative < 5 * Math.Sqrt(2.0 / n), $"spectrum off by {relative:P1}");
    }

    /// <summary>
    /// A sampler with the analytic score draws the analytic marginal: after the final Tweedie step at t = eps the samples are
    /// N(m, C (C + r^2 I)^-1 C), r = sigma/mu at eps, so in the Fourier basis the whitened power |F(x - m)|^2 / P has mean
    /// P / (P + r^2) per frequency. Over 1000 samples: the mean whitened variance within 0.03 of that (Monte Carlo ~0.006;
    /// measured +0.021 for Euler-Maruyama with 400 Karras steps (+0.034 with 200), +0.027 for EDM's Heun with 40 (+0.004 with
    /// 160: the rest is discretisation) and the mean within 4.5 standard errors of m at every pixel (measured 1.9-2.2).
    /// </summary>
    [Theory]
    [InlineData("vp", "euler-maruyama", 400)]
    [InlineData("edm", "edm-heun", 40)]
    public void SamplesMatchTheAnalyticMarginal(string sde, string sampler, int steps)
    {
        using var g = new StationaryGaussian(8);
        using var model = g.Model(sde);
        const int n = 1000;
        using var rng = new Generator(31);
        using var samples = SamplerRegistry.Generate(SamplerRegistry.Get(sampler), model, model.Sde, [n, 1, 8, 8], rng,
            new SamplerOptions { Steps = steps, Grid = "karras" });
        using var scope = torch.NewDisposeScope();
        double eps = TimeGrids.Create("karras", model.Sde, steps)[^1];
        double r2 = Math.Pow(model.Sde.NoiseRatio(eps), 2);
        var x = samples.To(DType.Float64);
        var centred = x.Sub(g.Mean.Reshape(1, 1, 8, 8));
        var power = torch.Rfft2(centred, norm: "ortho").Abs().Square().Mean([0]);
        var expected = g.Spectrum.Div(g.Spectrum.Add(r2));
        // Average over the full 8x8 frequency grid: rfft columns 1..3 stand for two frequencies each.
        var weights = torch.FromArray(new double[] { 1, 2, 2, 2, 1 }, 1, 1, 5);
        double whitened = power.Div(g.Spectrum).Mul(weights).Sum().ToDouble() / 64;
        double target = expected.Mul(weights).Sum().ToDouble() / 64;
        var se = torch.Diagonal(g.Covariance).Div(n).Sqrt();
        double meanZ = centred.Mean([0]).Reshape(64).Div(se).Abs().Max().ToDouble();
        output.WriteLine($"{sde} {sampler} {steps}: mean z {meanZ:F2}, whitened variance {whitened:F4}, expected {target:F4}");
        Assert.InRange(whitened, target - 0.03, target + 0.03);
        Assert.True(meanZ < 4.5, $"mean off by {meanZ:F2} standard errors");
    }

    [Fact]
    public void EvaluationsReadNothingFromTheDevice()
    {
        using var g = new StationaryGaussian(8);
        foreach (var sde in Sdes)
        {
            using var model = g.Model(sde);
            using var noGrad = torch.NoGrad();
            using var x = torch.Randn([2, 1, 8, 8], new Generator(1));
            using var t = torch.FromArray(new float[] { (float)(0.3 * model.Sde.T), (float)(0.7 * model.Sde.T) });
            foreach (var f in new Func<Tensor>[] { () => model.Score(x, t), () => model.SigmaScore(x, t), () => model.Denoise(x, t) })
            {
                f().Dispose();
                long before = torch.HostReads;
                f().Dispose();
                Assert.Equal(0, torch.HostReads - before);
            }
        }
    }

    /// <summary>
    /// `scorpio train --arch gaussian` as a library call: a run folder with config.json (arch gaussian, standardize units by
    /// default) and model.safetensors, loaded back by ScoreModel.Load with the fitted mean and spectrum; --resume is refused.
    /// </summary>
    [Fact]
    public void TrainWithTheGaussianArchWritesALoadableRun()
    {
        using var g = new StationaryGaussian(8);
        using var rng = new Generator(41);
        using var physical = g.Draw(500, rng);
        using var data32 = physical.To(DType.Float32);
        var dir = Path.Combine(Path.GetTempPath(), "scorpio-gaussian-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new ConfigOverrides { Arch = GaussianPriorNetwork.Arch, Sde = "vp" }.Apply(new RunConfig(), 8, 1);
            Assert.Equal("standardize", config.Normalization.Kind);
            using var dataset = new Data.TrainingDataset(data32.Alias(), ["memory"]);
            var result = Trainer.Run(new TrainingOptions { OutDir = dir, Config = config, Data = dataset });
            Assert.Equal(TrainingOutcome.Completed, result.Outcome);
            Assert.Equal(0, result.Step);
            using var model = Scorpio.Models.ScoreModel.Load(dir, Device.CPU);
            Assert.Equal("gaussian", model.Parametrisation.Name);
            using var normalised = model.FromPhysical(data32);
            using var refit = GaussianPriorNetwork.Fit(model.Config.Network, normalised);
            var loaded = (GaussianPriorNetwork)model.Network;
            Assert.True(InverseTestUtil.MaxAbsDiff(loaded.Spectrum, refit.Spectrum) < 1e-5 * InverseTestUtil.Norm(refit.Spectrum));
            Assert.Throws<Astro.UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, Data = dataset }));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
