using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>Applies an <see cref="Activation"/> to a tensor, and parses its configuration name.</summary>
public static class ActivationExtensions
{
    internal static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.SiLU => torch.SiLU(x),
        Activation.Mish => torch.Mish(x),
        Activation.ReLU => torch.ReLU(x),
        Activation.LeakyReLU => torch.LeakyReLU(x, 0.2),
        Activation.GELU => torch.GELU(x),
        Activation.ELU => torch.ELU(x),
        Activation.Tanh => x.Tanh(),
        Activation.Sigmoid => x.Sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    /// <summary>The configuration names (score_models' spellings; swish = silu).</summary>
    public static IReadOnlyList<string> Names { get; } = ["silu", "swish", "mish", "relu", "leakyrelu", "gelu", "elu", "tanh", "sigmoid"];

    /// <summary>The activation called <paramref name="name"/> (case-insensitive; <see cref="Names"/>).</summary>
    public static Activation Parse(string name) => name.ToLowerInvariant() switch
    {
        "silu" or "swish" => Activation.SiLU,
        "mish" => Activation.Mish,
        "relu" => Activation.ReLU,
        "leakyrelu" => Activation.LeakyReLU,
        "gelu" => Activation.GELU,
        "elu" => Activation.ELU,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        _ => throw new ArgumentException($"unknown activation '{name}' (known: {string.Join(", ", Names)})"),
    };
}
