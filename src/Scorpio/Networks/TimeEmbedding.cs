using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// Noise-level conditioning shared by every residual block: a fixed embedding of the scalar
/// condition (Gaussian Fourier or sinusoidal) followed by a 2-layer MLP,
/// dense1(act(dense0(embed(c)))). Each block then adds its own projection of act(output).
/// </summary>
public sealed class TimeEmbedding : Module
{
    private readonly GaussianFourierEmbedding? _fourier;
    private readonly SinusoidalEmbedding? _sinusoidal;
    private readonly Linear _dense0;
    private readonly Linear _dense1;
    private readonly Activation? _activation;

    /// <summary>Features per sample of <see cref="Forward"/>'s output.</summary>
    public int OutputDim { get; }

    /// <param name="kind">"fourier" or "sinusoidal".</param>
    /// <param name="embeddingDim">Size of the fixed embedding (nf in NCSN++, the base width in DDPM).</param>
    /// <param name="hiddenDim">Width of the MLP's hidden layer.</param>
    /// <param name="outputDim">Output size (4 nf in NCSN++, the base width in astroddpm).</param>
    /// <param name="activation">Non-linearity between the two layers (null: none, as score_models 0.5's DDPM).</param>
    /// <param name="fourierScale">Standard deviation of the Fourier frequencies.</param>
    /// <param name="rng">Initialises the weights (and the Fourier frequencies).</param>
    /// <param name="initScale">Variance-scaling scale of the dense layers (NCSN++'s default_init: 1);
    /// null = PyTorch's default initialisation (astroddpm).</param>
    public TimeEmbedding(string kind, int embeddingDim, int hiddenDim, int outputDim, Activation? activation,
        double fourierScale, Generator rng, double? initScale = null)
    {
        switch (kind.ToLowerInvariant())
        {
            case "fourier": _fourier = RegisterModule("embed", new GaussianFourierEmbedding(embeddingDim, fourierScale, rng)); break;
            case "sinusoidal": _sinusoidal = RegisterModule("embed", new SinusoidalEmbedding(embeddingDim)); break;
            default: throw new ArgumentException($"unknown time embedding '{kind}' (fourier, sinusoidal)");
        }
        _activation = activation;
        OutputDim = outputDim;
        _dense0 = RegisterModule("dense0", new Linear(embeddingDim, hiddenDim, rng, initScale: initScale));
        _dense1 = RegisterModule("dense1", new Linear(hiddenDim, outputDim, rng, initScale: initScale));
    }

    /// <summary>Condition (B,) to the embedding (B, OutputDim).</summary>
    public Tensor Forward(Tensor condition)
    {
        using var scope = torch.NewDisposeScope();
        var e = _fourier is not null ? _fourier.Forward(condition) : _sinusoidal!.Forward(condition);
        var hidden = _dense0.Forward(e);
        return _dense1.Forward(_activation is { } a ? a.Apply(hidden) : hidden).MoveToOuterDisposeScope();
    }
}
