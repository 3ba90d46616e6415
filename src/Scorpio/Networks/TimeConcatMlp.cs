using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Networks;

/// <summary>
/// Score network for vectors (B, D) in which the time features join every layer's input (arch "mlp-concat", score_models
/// 0.6's MLP): temb = act(dense1(act(dense0(fourier(c))))) with Fourier features of size <see cref="NetworkConfig.Width"/>;
/// h = input(x); per hidden layer h = act(Linear([h, temb])); out = output([h, temb]). An odd
/// <see cref="NetworkConfig.MlpLayers"/> builds one more layer, as score_models does.
/// </summary>
public sealed class TimeConcatMlp : ScoreNetwork
{
    private readonly TimeEmbedding _embedding;
    private readonly Linear _input;
    private readonly List<Linear> _hidden = new();
    private readonly Linear _output;
    private readonly Activation _activation;

    public NetworkConfig Config { get; }
    /// <summary>Vector dimension D (InChannels).</summary>
    public int Dimension { get; }

    /// <param name="config">InChannels = D, Width, MlpLayers, Activation, Embedding, FourierScale.</param>
    /// <param name="rng">Initialises every weight and the Fourier frequencies.</param>
    public TimeConcatMlp(NetworkConfig config, Generator rng)
    {
        Config = config;
        Dimension = config.InChannels;
        int w = config.Width;
        if (Dimension < 1 || w < 2 || config.MlpLayers < 0)
            throw new ArgumentException($"TimeConcatMlp: InChannels ({config.InChannels}) must be >= 1, Width ({w}) >= 2 and MlpLayers ({config.MlpLayers}) >= 0");
        _activation = ActivationExtensions.Parse(config.Activation);
        _embedding = RegisterModule("embedding", new TimeEmbedding(config.Embedding, w, w, w, _activation, config.FourierScale, rng));
        _input = RegisterModule("input", new Linear(Dimension, w, rng));
        int layers = config.MlpLayers + config.MlpLayers % 2;
        for (int k = 0; k < layers; k++) _hidden.Add(RegisterModule($"hidden.{k}", new Linear(2 * w, w, rng)));
        _output = RegisterModule("output", new Linear(2 * w, Dimension, rng));
    }

    /// <param name="x">Noisy vectors (B, D).</param>
    /// <param name="condition">(B,) time (a scalar is broadcast).</param>
    /// <returns>(B, D).</returns>
    public override Tensor Forward(Tensor x, Tensor condition)
    {
        using var scope = torch.NewDisposeScope();
        if (x.Dim != 2 || x.Size(1) != Dimension)
            throw new ArgumentException($"TimeConcatMlp: expected vectors (B, {Dimension}), got shape ({string.Join(", ", x.Shape)})");
        var c = NetworkChecks.Condition(nameof(TimeConcatMlp), x, condition);
        var temb = _activation.Apply(_embedding.Forward(c));
        var h = _input.Forward(x);
        foreach (var layer in _hidden) h = _activation.Apply(layer.Forward(torch.Cat([h, temb], 1)));
        return _output.Forward(torch.Cat([h, temb], 1)).MoveToOuterDisposeScope();
    }
}
