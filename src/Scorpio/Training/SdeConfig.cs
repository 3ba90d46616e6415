using Scorpio.Astro;
using Scorpio.Diffusion;

namespace Scorpio.Training;

/// <summary>
/// The forward SDE of a run and its parameters (config.json key <c>sde</c>). Null values take
/// the per-SDE defaults of docs/methods.md section 1; for VE a null <see cref="SigmaMax"/> is set at
/// training start from the largest pairwise distance between (normalised) training images.
/// </summary>
public sealed record SdeConfig
{
    /// <summary>ve, vp, vp-cosine, subvp, edm or ddpm.</summary>
    public string Name { get; init; } = "ve";
    /// <summary>VE: sigma_min (0.01); EDM: sigma_min (0.002).</summary>
    public double? SigmaMin { get; init; }
    /// <summary>VE: sigma_max (null = from the data); EDM: sigma_max (80).</summary>
    public double? SigmaMax { get; init; }
    /// <summary>VP/subVP: beta_min (0.1).</summary>
    public double BetaMin { get; init; } = 0.1;
    /// <summary>VP/subVP: beta_max (20).</summary>
    public double BetaMax { get; init; } = 20.0;
    /// <summary>EDM: sigma_data of the preconditioning (0.5).</summary>
    public double SigmaData { get; init; } = 0.5;
    /// <summary>EDM: mean of ln sigma during training (-1.2).</summary>
    public double PMean { get; init; } = -1.2;
    /// <summary>EDM: standard deviation of ln sigma during training (1.2).</summary>
    public double PStd { get; init; } = 1.2;
    /// <summary>DDPM: number of discrete steps (1000).</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>DDPM: beta schedule, linear or cosine.</summary>
    public string Schedule { get; init; } = "linear";

    /// <summary>The known SDE names.</summary>
    public static readonly string[] Names = ["ve", "vp", "vp-cosine", "subvp", "edm", "ddpm"];

    /// <summary>Builds the SDE (VE needs <see cref="SigmaMax"/> resolved first).</summary>
    public Sde Build() => Name switch
    {
        "ve" => new VeSde(SigmaMin ?? 0.01, SigmaMax ?? throw new InvalidOperationException("VE sigma_max is not set: fit it from the data first (Trainer does) or give sde.sigmaMax")),
        "vp" => new VpSde(BetaMin, BetaMax),
        "vp-cosine" or "cosine" => new CosineVpSde(),
        "subvp" => new SubVpSde(BetaMin, BetaMax),
        "edm" => new EdmSde(SigmaMin ?? 0.002, SigmaMax ?? 80.0, SigmaData) { PMean = PMean, PStd = PStd },
        "ddpm" => new DdpmSde(Steps, Schedule),
        _ => throw new UserInputException($"unknown SDE '{Name}': use one of {string.Join(", ", Names)}"),
    };
}
