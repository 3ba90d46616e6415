using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Models;

/// <summary>
/// A trained score model (an image prior, or a noise model for SLIC): the SDE, the network, its
/// parametrisation and the data normalisation, rebuilt from a run folder.
/// <para>Parametrisations (<c>x</c> and the score live in NORMALISED units):</para>
/// <list type="bullet">
/// <item>VE, VP, VP-cosine, subVP: the network predicts n = sigma(t) s(x, t) (score_models);
/// score = F(x, c) / sigma(t), with condition c = t (Gaussian Fourier embedding) or c = 999 t
/// (sinusoidal embedding, as Song et al.'s DDPM++ scales continuous time).</item>
/// <item>EDM (Karras et al. 2022, Table 1), t = sigma: D(x; sigma) = c_skip x + c_out F(c_in x, c_noise)
/// with c_skip = sd^2 / (sigma^2 + sd^2), c_out = sigma sd / sqrt(sigma^2 + sd^2),
/// c_in = 1 / sqrt(sigma^2 + sd^2), c_noise = ln(sigma) / 4; score = (D - x) / sigma^2.</item>
/// <item>DDPM (Ho et al. 2020): epsilon prediction eps = F(x, c) with c = step index i (sinusoidal
/// embedding) or c = (i + 1) / N (Fourier embedding); score = -eps / sqrt(1 - alpha_bar_i).</item>
/// </list>
/// </summary>
public sealed class ScoreModel : IScoreFunction, IDisposable
{
    /// <summary>The forward SDE (with VE's sigma_max as fitted at training time).</summary>
    public Sde Sde { get; }
    /// <summary>The network F; its output's meaning is given in the class summary.</summary>
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
        Sde = config.Sde.Build();
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
            using var rng = new Generator((ulong)config.Seed);
            var model = Create(config, device, rng);
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

    /// <summary>grad_x log p_t(x) in normalised units; x (B, C, H, W) or (B, D), t (B,). Differentiable in x.</summary>
    public Tensor Score(Tensor x, Tensor t)
    {
        var times = t.ToDoubleArray();
        if (Sde is EdmSde edm)
        {
            using var d = Denoise(edm, x, times);
            using var diff = d.Sub(x);
            using var s2 = PerSample(times.Select(s => 1.0 / (s * s)).ToArray(), x);
            return diff.Mul(s2);
        }
        using var output = Network.Forward(x, Condition(times, x));
        var scale = Sde is DdpmSde ddpm
            ? times.Select(ti => -1.0 / Math.Sqrt(1 - ddpm.AlphaBars[ddpm.Index(ti)])).ToArray()
            : times.Select(ti => 1.0 / Sde.Sigma(ti)).ToArray();
        using var factor = PerSample(scale, x);
        return output.Mul(factor);
    }

    /// <summary>
    /// sigma(t) times the score, the quantity denoising score matching regresses on -z:
    /// the network output n for VE/VP/subVP, (D - x) / sigma for EDM, -eps for DDPM.
    /// Computed without dividing by sigma where the parametrisation allows (better conditioned at small t).
    /// </summary>
    public Tensor SigmaScore(Tensor x, Tensor t)
    {
        var times = t.ToDoubleArray();
        if (Sde is EdmSde edm)
        {
            using var d = Denoise(edm, x, times);
            using var diff = d.Sub(x);
            using var inv = PerSample(times.Select(s => 1.0 / s).ToArray(), x);
            return diff.Mul(inv);
        }
        using var output = Network.Forward(x, Condition(times, x));
        return Sde is DdpmSde ? output.Neg() : output.Alias();
    }

    /// <summary>EDM's denoiser D(x; sigma) = c_skip x + c_out F(c_in x, c_noise) (only for the EDM SDE).</summary>
    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        if (Sde is not EdmSde edm) throw new InvalidOperationException($"Denoise is EDM's D(x; sigma); this model's SDE is {Sde.Name} (use Tweedie instead)");
        return Denoise(edm, x, sigma.ToDoubleArray());
    }

    /// <summary>DDPM's epsilon prediction eps(x_i, i) for step indices <paramref name="steps"/> (B,) (only for the DDPM SDE).</summary>
    public Tensor PredictEpsilon(Tensor x, Tensor steps)
    {
        if (Sde is not DdpmSde ddpm) throw new InvalidOperationException($"PredictEpsilon needs the DDPM SDE; this model's is {Sde.Name}");
        var times = steps.ToDoubleArray().Select(i => ddpm.TimeOf((int)i)).ToArray();
        return Network.Forward(x, Condition(times, x));
    }

    private Tensor Denoise(EdmSde edm, Tensor x, double[] sigmas)
    {
        using var cIn = PerSample(sigmas.Select(edm.CIn).ToArray(), x);
        using var cSkip = PerSample(sigmas.Select(edm.CSkip).ToArray(), x);
        using var cOut = PerSample(sigmas.Select(edm.COut).ToArray(), x);
        using var cNoise = Vector(sigmas.Select(edm.CNoise).ToArray(), x);
        using var scaledIn = x.Mul(cIn);
        using var f = Network.Forward(scaledIn, cNoise);
        using var skip = x.Mul(cSkip);
        using var residual = f.Mul(cOut);
        return skip.Add(residual);
    }

    /// <summary>The network's conditioning input for continuous times (the class summary gives the rule per SDE).</summary>
    private Tensor Condition(double[] times, Tensor like)
    {
        bool sinusoidal = Config.Network.Embedding == "sinusoidal";
        double[] c = Sde switch
        {
            DdpmSde ddpm => sinusoidal ? times.Select(ti => (double)ddpm.Index(ti)).ToArray() : times.Select(ti => ddpm.TimeOf(ddpm.Index(ti))).ToArray(),
            _ => sinusoidal ? times.Select(ti => 999.0 * ti).ToArray() : times,
        };
        return Vector(c, like);
    }

    private static Tensor PerSample(double[] values, Tensor like) => BatchScalars.Broadcast(values, like);

    private static Tensor Vector(double[] values, Tensor like) => BatchScalars.Vector(values, like);

    /// <summary>Normalised units (model space) to physical units, undoing the stored normalisation.</summary>
    public Tensor ToPhysical(Tensor x) => Normalization.Inverse(x);

    /// <summary>Physical units to normalised units (model space), applying the stored normalisation.</summary>
    public Tensor FromPhysical(Tensor x) => Normalization.Forward(x);

    public void Dispose() => Network.Dispose();
}
