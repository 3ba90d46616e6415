using Scorpio.Astro;

namespace Scorpio.Likelihoods;

/// <summary>The names of the <see cref="CovarianceForm"/>s, as flags and problem files spell them.</summary>
public static class CovarianceForms
{
    /// <summary>auto, dense, cg, fourier, diagonal.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "dense", "cg", "fourier", "diagonal"];

    /// <summary>The form called <paramref name="name"/>; an error naming <paramref name="setting"/> otherwise.</summary>
    public static CovarianceForm Parse(string name, string setting = "covariance") => name switch
    {
        "auto" => CovarianceForm.Auto,
        "dense" => CovarianceForm.Dense,
        "cg" => CovarianceForm.ConjugateGradient,
        "fourier" => CovarianceForm.Fourier,
        "diagonal" => CovarianceForm.Diagonal,
        _ => throw new InvalidSettingException(setting, $"'{name}' is not known: use {string.Join(", ", Names)}"),
    };
}
