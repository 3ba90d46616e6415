using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Data;
using Scorpio.Models;
using Scorpio.Networks;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// One loaded model serves several calls (as the science evaluation uses it): prior sampling runs in inference mode, and the
/// constants the network and the SDE cache then (FIR resampling kernels, the DDPM tables) must still work with autograd in a
/// later DPS posterior, which must give what a fresh model gives.
/// </summary>
public class ModelReuseTests
{
    private static ScoreModel Model()
    {
        var config = new RunConfig
        {
            Seed = 1,
            Sde = new SdeConfig { Name = "ddpm" },
            Network = new NetworkConfig { Arch = "ncsnpp", InChannels = 1, ImageSize = 8, Width = 8, ChannelMult = [1, 2], BlocksPerLevel = 1, AttentionResolutions = [], Fir = true },
            Normalization = new NormalizationConfig { Kind = "none" },
            Data = new DataConfig { Shape = [1, 8, 8] },
        };
        using var init = new Generator(1);
        var model = ScoreModel.Create(config, Device.CPU, init);
        model.Network.Eval();
        return model;
    }

    private static float[] Dps(ScoreModel model)
    {
        var y = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();
        using var obs = ObservationInput.FromImage(new ImageData(y, 8, 8), null, "obs");
        using var problem = InverseProblemBuilder.Build(new ProblemSpec { Exposures = [new ExposureSpec { Observation = obs, Sigma = 0.1 }] },
            PriorModel.From(model, "untrained"), Device.CPU);
        var dir = TestPaths.TempDir("reuse-dps");
        PosteriorPipeline.Run(new PosteriorRequest { Problem = problem, Method = "dps", Settings = new PosteriorSettings { Steps = 4 }, Count = 2, PriorCount = 0, Seed = 3, OutDir = dir });
        return FitsFile.Read(Path.Combine(dir, "samples.fits")).Data;
    }

    [Fact]
    public void A_model_that_sampled_in_inference_mode_still_runs_DPS_with_the_same_result()
    {
        torch.NumThreads = 2;
        using var fresh = Model();
        var expected = Dps(fresh);
        using var used = Model();
        PriorSampling.Draw(used, new PriorSamplingOptions { Sampler = SamplerRegistry.Get("euler-maruyama"), Settings = new SamplerOptions { Steps = 4 }, Count = 2 });
        Assert.Equal(expected, Dps(used));
    }
}
