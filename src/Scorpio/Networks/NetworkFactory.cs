using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>Builds the score network a <see cref="NetworkConfig"/> describes.</summary>
public static class NetworkFactory
{
    /// <summary>The architectures <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["ncsnpp", "ddpm", "ddpm-ho", "mlp", "mlp-concat", GaussianPriorNetwork.Arch];

    /// <summary>
    /// A freshly initialised network for <paramref name="config"/>; every weight is drawn from
    /// <paramref name="rng"/>, so the same seed gives the same weights.
    /// </summary>
    public static ScoreNetwork Create(NetworkConfig config, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        return (config.Arch ?? "").ToLowerInvariant() switch
        {
            "ncsnpp" => new NcsnppNetwork(config, rng),
            "ddpm" => new DdpmUNet(config, rng),
            "ddpm-ho" => new HoUNet(config, rng),
            "mlp-concat" => new TimeConcatMlp(config, rng),
            "mlp" => new MlpScoreNetwork(config, rng),
            GaussianPriorNetwork.Arch => new GaussianPriorNetwork(config),
            _ => throw new ArgumentException($"unknown network architecture '{config.Arch}' (known: {string.Join(", ", Architectures)})"),
        };
    }

    /// <summary>
    /// A lower bound on the parameter count of the network <paramref name="config"/> describes, cheap to compute: for the U-Nets
    /// the input convolution and one 3x3 convolution at the widest level, for the MLP its hidden layers. Lets a loader refuse a
    /// config.json that cannot belong to the weights beside it before building (and allocating) that network.
    /// </summary>
    public static double MinimumParameters(NetworkConfig config)
    {
        if ((config.Arch ?? "").Equals("mlp", StringComparison.OrdinalIgnoreCase))
            return (double)config.MlpHidden * config.MlpHidden * Math.Max(0, config.MlpLayers - 1);
        double widest = (double)config.Width * (config.ChannelMult is { Length: > 0 } m ? m.Max() : 1);
        return 9.0 * config.InChannels * config.Width + 9.0 * widest * widest;
    }
}
