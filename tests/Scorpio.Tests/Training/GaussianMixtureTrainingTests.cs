using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Tests.Sampling;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Tests.Training;

/// <summary>
/// End to end through Trainer, run folder and ScoreModel.Load: an MLP trained on a 2-D Gaussian
/// mixture learns the analytic score of the perturbed mixture (a mixture with means mu(t) m_k and
/// variances mu^2 s_k^2 + sigma^2) for every SDE and its natural loss.
/// </summary>
public class GaussianMixtureTrainingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly double[] Weights = [0.5, 0.5];
    private static readonly double[][] Means = [[-1.0, -0.5], [1.0, 0.5]];
    private static readonly double[] Widths = [0.35, 0.35];

    /// <summary>
    /// Bound: the density-weighted relative L2 error sqrt(E||s_theta - s||^2 / E||s||^2) is below 0.2 at
    /// noise-to-signal ratios sigma(t)/mu(t) of 0.3, 1 and 3 (the components have width 0.35 and
    /// centres 2.2 apart), with evaluation points drawn from p_t itself. An untrained network scores ~1;
    /// after 2000 steps the trained ones measured 0.10-0.15 at ratio 0.3 and 0.007-0.09 at ratios 1 and 3. Below ratio ~0.2 the sigma^2 weighting of DSM
    /// makes the score at this training length markedly less accurate (0.26-0.36 at ratio 0.1 after 1500 steps), which is
    /// why the bound is stated for ratios >= 0.3.
    /// </summary>
    [Theory]
    [InlineData("ve")]
    [InlineData("vp")]
    [InlineData("subvp")]
    [InlineData("vp-cosine")]
    [InlineData("edm")]
    [InlineData("ddpm")]
    public void LearnedScoreMatchesAnalyticScore(string sdeName)
    {
        torch.NumThreads = 2;
        var dir = TestPaths.TempDir("mixture-" + sdeName);
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Mixture(4096, Weights, Means, Widths, 11));
        var config = new RunConfig
        {
            Seed = 5,
            Sde = new SdeConfig { Name = sdeName },
            Network = new NetworkConfig { Arch = "mlp", Width = 32, MlpHidden = 128, MlpLayers = 3, FourierScale = sdeName == "edm" ? 1.0 : 16.0 },
            Normalization = new() { Kind = "none" },
            Training = new TrainingConfig { Steps = 2000, Batch = 256, Lr = 2e-3, Warmup = 50, Ema = 0.995, GradClip = 0, CheckpointEvery = 100000 },
        };
        var result = Trainer.Run(new TrainingOptions { OutDir = dir, Config = config, Data = data });
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);

        using var model = ScoreModel.Load(dir, Device.CPU);
        var exact = new GaussianMixtureScore(model.Sde, Weights, Means, Widths);
        using var rng = new Generator(99);
        foreach (var ratio in new[] { 0.3, 1.0, 3.0 })
        {
            double t = model.Sde.TimeOfNoiseRatio(ratio);
            if (model.Sde is DdpmSde ddpm) t = ddpm.TimeOf(ddpm.Index(t));
            using var scope = torch.NewDisposeScope();
            // Points from p_t: x = mu x0 + sigma z with x0 from the mixture.
            var x0 = TrainingFixtures.Mixture(2000, Weights, Means, Widths, 1234);
            var x = x0.Mul(model.Sde.Mu(t)).Add(torch.RandnLike(x0, rng).Mul(model.Sde.Sigma(t)));
            Tensor learned;
            using (torch.NoGrad()) learned = model.Score(x, t);
            var truth = exact.Score(x, t);
            double err = Math.Sqrt(learned.Sub(truth).Square().Sum().ToDouble() / truth.Square().Sum().ToDouble());
            output.WriteLine($"{sdeName}: sigma/mu = {ratio}: relative error {err:F3}");
            Assert.True(err < 0.2, $"{sdeName}: relative score error {err:F3} at t = {t:G4} (sigma/mu = {ratio}) exceeds 0.2");
        }
    }
}
