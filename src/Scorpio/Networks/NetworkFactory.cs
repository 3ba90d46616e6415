using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>Builds the score network a <see cref="NetworkConfig"/> describes.</summary>
public static class NetworkFactory
{
    /// <summary>The architectures <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["ncsnpp", "ddpm", "mlp", GaussianPriorNetwork.Arch];

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
            "mlp" => new MlpScoreNetwork(config, rng),
            GaussianPriorNetwork.Arch => new GaussianPriorNetwork(config),
            _ => throw new ArgumentException($"unknown network architecture '{config.Arch}' (known: {string.Join(", ", Architectures)})"),
        };
    }
}
