using Scorpio.Diffusion;

namespace Scorpio.Tests.Sampling;

/// <summary>The SDEs the sampling tests run on, by short name, with the library's default parameters.</summary>
internal static class TestSdes
{
    public static Sde Create(string name) => name switch
    {
        "ve" => new VeSde(0.01, 50),
        "vp" => new VpSde(0.1, 20),
        "subvp" => new SubVpSde(0.1, 20),
        "cosine" => new CosineVpSde(),
        "cosine-clipped" => new ClippedCosineVpSde(20),
        "edm" => new EdmSde(0.002, 80),
        "ddpm" => new DdpmSde(1000, "linear"),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A 4-D Gaussian target: unequal variances (eigenvalues roughly 0.1 to 1.4) and correlations.</summary>
    public static readonly double[] Mean = [0.5, -1.0, 0.25, 1.5];

    public static readonly double[,] Covariance =
    {
        { 1.0, 0.4, 0.2, 0.0 },
        { 0.4, 0.8, -0.2, 0.1 },
        { 0.2, -0.2, 0.6, 0.1 },
        { 0.0, 0.1, 0.1, 0.25 },
    };
}
