using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Torch.NN;
using Scorpio.Training;

namespace Scorpio.Models;

/// <summary>
/// A trained score model (an image prior, or a noise model for SLIC): the network, its parametrisation (which owns the
/// SDE and says how the network's output becomes a denoiser and a score: <see cref="Models.Parametrisation"/>) and the
/// data normalisation, rebuilt from a run folder. x and the score live in NORMALISED units.
/// </summary>
public sealed class ScoreModel : IScoreFunction, IDisposable
{
    /// <summary>How the network's output becomes a denoiser, a score and a training target.</summary>
    public Parametrisation Parametrisation { get; }
    /// <summary>The forward SDE (with VE's sigma_max as fitted at training time).</summary>
    public Sde Sde => Parametrisation.Sde;
    /// <summary>The network F; its output's meaning is given by <see cref="Parametrisation"/>.</summary>
    public ScoreNetwork Network { get; }
    /// <summary>Physical to normalised units and back.</summary>
    public Normalization Normalization { get; }
    /// <summary>The run's full configuration.</summary>
    public RunConfig Config { get; }
    /// <summary>Where the network's weights live.</summary>
    public Device Device { get; }

    /// <summary>
    /// Wraps an existing network (moved to <paramref name="device"/>; the model then owns it).
    /// The configuration must be resolved: VE needs sde.sigmaMax and the normalisation its fitted statistics.
    /// </summary>
    public ScoreModel(RunConfig config, ScoreNetwork network, Device device)
    {
        Config = config;
        Parametrisation = Parametrisation.For(config.Sde, config.Network);
        Normalization = Data.Normalization.FromConfig(config.Normalization);
        Device = device;
        Network = network;
        Network.To(device);
    }

    /// <summary>A fresh, untrained model whose network is initialised from <paramref name="rng"/>.</summary>
    public static ScoreModel Create(RunConfig config, Device device, Generator rng) =>
        new(config, NetworkFactory.Create(config.Network, rng), device);

    /// <summary>
    /// Loads a run folder: config.json and model.safetensors (the EMA weights). Errors name the
    /// file and what is wrong (missing file, bad JSON, weights that do not match the configuration).
    /// The network is put in evaluation mode.
    /// </summary>
    public static ScoreModel Load(string runDir, Device device)
    {
        var folder = new RunFolder(runDir);
        var config = folder.ReadConfig();
        var weights = folder.ReadModelWeights();
        try
        {
            // A config.json that cannot belong to these weights must not get its network built: it could ask for gigabytes.
            double held = weights.Values.Sum(t => (double)t.Numel);
            double needed = Networks.NetworkFactory.MinimumParameters(config.Network);
            if (needed > 2 * held + 1e6)
                throw new UserInputException($"{folder.ConfigPath} describes a network of at least {needed:G3} parameters, but {folder.ModelPath} holds {held:G3}: " +
                    "the two files do not belong together (config.json edited or damaged?); restore the run's config.json");
            using var rng = new Generator((ulong)config.Seed);
            ScoreModel model;
            try
            {
                // Every weight is overwritten by the file's: skip the random draws.
                using (Init.Skipped()) model = Create(config, device, rng);
            }
            catch (ArgumentException e)
            {
                // A hand-edited config.json can describe a network that cannot be built.
                throw new UserInputException($"{folder.ConfigPath}: the network it describes cannot be built: {e.Message}");
            }
            catch (UserInputException e) when (!e.Message.Contains(folder.ConfigPath, StringComparison.Ordinal))
            {
                // The SDE and the normalisation check their own settings; the file they came from is named here.
                throw new UserInputException($"{folder.ConfigPath}: {e.Message}");
            }
            try
            {
                model.Network.LoadStateDict(weights, strict: true);
            }
            catch (ArgumentException e)
            {
                model.Dispose();
                throw new UserInputException($"{folder.ModelPath}: the weights do not match the network in {folder.ConfigPath}: {e.Message}");
            }
            model.Network.Eval();
            return model;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>Shape of a batch of <paramref name="n"/> samples: (n, C, H, W) or (n, D).</summary>
    public long[] SampleShape(int n) => new long[] { n }.Concat(Config.Data.Shape.Select(s => (long)s)).ToArray();

    /// <summary>grad_x log p_t(x) in normalised units; x (B, C, H, W) or (B, D), t (B,) on x's device. Differentiable in x.</summary>
    public Tensor Score(Tensor x, Tensor t) => Parametrisation.Score(Network, x, t);

    /// <summary>sigma(t) times the score, the quantity denoising score matching regresses on -z (see <see cref="Models.Parametrisation.SigmaScore"/>).</summary>
    public Tensor SigmaScore(Tensor x, Tensor t) => Parametrisation.SigmaScore(Network, x, t);

    /// <summary>The denoiser E[x_0 | x_t] (EDM's D directly; Tweedie's formula for the other kinds).</summary>
    public Tensor Denoise(Tensor x, Tensor t) => Parametrisation.Denoise(Network, x, t);

    /// <summary>Normalised units (model space) to physical units, undoing the stored normalisation.</summary>
    public Tensor ToPhysical(Tensor x) => Normalization.Inverse(x);

    /// <summary>Physical units to normalised units (model space), applying the stored normalisation.</summary>
    public Tensor FromPhysical(Tensor x) => Normalization.Forward(x);

    public void Dispose()
    {
        Network.Dispose();
        Parametrisation.Dispose();
    }
}
