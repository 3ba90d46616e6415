using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Models;

/// <summary>
/// How a network F's output becomes a denoiser, a score and a training target: one object per model kind, as EDM's
/// preconditioning classes and k-diffusion's denoiser wrappers are written (Karras et al. 2022, Table 1). x and the
/// score are in the model's normalised units; t holds one time per batch item, (B,), on x's device. Nothing here
/// reads a tensor back to the host: the per-sample coefficients are computed on the device from t.
/// </summary>
public abstract class Parametrisation : IDisposable
{
    protected Parametrisation(Sde sde) => Sde = sde;

    /// <summary>The forward SDE whose times the network is conditioned on.</summary>
    public Sde Sde { get; }

    /// <summary>Short name: score (sigma-scaled score), edm (EDM preconditioning) or epsilon (DDPM).</summary>
    public abstract string Name { get; }

    /// <summary>The network's conditioning input for times <paramref name="t"/> (B,), float64 (the caller casts).</summary>
    public abstract Tensor Condition(Tensor t);

    /// <summary>sigma(t) times the score: what denoising score matching regresses on -z. Differentiable in x.</summary>
    public abstract Tensor SigmaScore(ScoreNetwork network, Tensor x, Tensor t);

    /// <summary>grad_x log p_t(x) = SigmaScore / sigma(t). Differentiable in x.</summary>
    public virtual Tensor Score(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var n = SigmaScore(network, x, t);
        var inverse = PerSample.Broadcast(Sde.Sigma(t).Reciprocal(), x);
        return n.Mul(inverse).MoveToOuterDisposeScope();
    }

    /// <summary>The denoiser E[x_0 | x_t] (Tweedie's formula, (x + sigma^2 s) / mu, unless the kind predicts it directly).</summary>
    public virtual Tensor Denoise(ScoreNetwork network, Tensor x, Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var n = SigmaScore(network, x, t);
        var sigma = PerSample.Broadcast(Sde.Sigma(t), x);
        var mu = PerSample.Broadcast(Sde.Mu(t), x);
        return x.Add(n.Mul(sigma)).Div(mu).MoveToOuterDisposeScope();
    }

    /// <summary>The objective this kind trains with by default (config.json's training.loss when unset).</summary>
    public abstract string DefaultLoss { get; }

    /// <summary>
    /// The training objective called <paramref name="name"/> for this kind, or null when it does not apply (EDM's loss
    /// needs EDM's preconditioning, DDPM's needs the epsilon network). Denoising score matching applies to every kind.
    /// </summary>
    public virtual ITrainingLoss? Loss(string name) => name == "dsm" ? new DenoisingScoreMatchingLoss() : null;

    /// <summary>Calls the network on <paramref name="input"/> with the conditioning of times <paramref name="t"/>, cast to the input's dtype.</summary>
    protected Tensor Forward(ScoreNetwork network, Tensor input, Tensor t)
    {
        using var c = Condition(t);
        using var condition = c.To(input.Device, input.DType);
        return network.Forward(input, condition);
    }

    /// <summary>
    /// The parametrisation of a run: the analytic <see cref="GaussianParametrisation"/> for the gaussian arch (exact under
    /// every SDE), else the one of its SDE (<see cref="For(SdeConfig, string)"/>).
    /// </summary>
    public static Parametrisation For(SdeConfig config, NetworkConfig network) =>
        network.Arch == GaussianPriorNetwork.Arch ? new GaussianParametrisation(config.Build()) : For(config, network.Embedding);

    /// <summary>
    /// The parametrisation of a network's SDE (config.json's sde): EDM preconditioning for edm, DDPM's epsilon network for
    /// ddpm, the sigma-scaled score for the continuous SDEs. <paramref name="embedding"/> is the network's time embedding
    /// (fourier or sinusoidal), which sets the scale of the conditioning input.
    /// </summary>
    public static Parametrisation For(SdeConfig config, string embedding)
    {
        bool sinusoidal = embedding == "sinusoidal";
        return config.Name switch
        {
            "edm" => new EdmPreconditioning(config.BuildEdm(), config.SigmaData, config.PMean, config.PStd),
            "ddpm" => new EpsilonParametrisation(config.BuildDdpm(), sinusoidal),
            _ => new ScoreParametrisation(config.Build(), sinusoidal),
        };
    }

    public virtual void Dispose() => (Sde as IDisposable)?.Dispose();
}
