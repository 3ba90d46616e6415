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
    /// <summary>ve, vp, vp-cosine, vp-cosine-clipped (score_models 0.6's cosine VP), subvp, edm or ddpm.</summary>
    public string Name { get; init; } = "ve";
    /// <summary>VE: sigma_min (0.01); EDM: sigma_min (0.002).</summary>
    public double? SigmaMin { get; init; }
    /// <summary>VE: sigma_max (null = from the data); EDM: sigma_max (80).</summary>
    public double? SigmaMax { get; init; }
    /// <summary>VP/subVP: beta_min (0.1).</summary>
    public double BetaMin { get; init; } = 0.1;
    /// <summary>VP/subVP: beta_max (20); vp-cosine-clipped: where its beta is clipped (20).</summary>
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
    public static readonly string[] Names = ["ve", "vp", "vp-cosine", "vp-cosine-clipped", "subvp", "edm", "ddpm"];

    /// <summary>Builds the SDE (VE needs <see cref="SigmaMax"/> resolved first).</summary>
    public Sde Build() => Name switch
    {
        "ve" => new VeSde(SigmaMin ?? 0.01, SigmaMax ?? throw new UserInputException("sde.sigmaMax is not set for this VE model: config.json must hold it (training fits it from the data; give it with --config or retrain)")),
        "vp" => new VpSde(BetaMin, BetaMax),
        "vp-cosine" or "cosine" => new CosineVpSde(),
        "vp-cosine-clipped" => new ClippedCosineVpSde(BetaMax),
        "subvp" => new SubVpSde(BetaMin, BetaMax),
        "edm" => BuildEdm(),
        "ddpm" => BuildDdpm(),
        _ => throw new UserInputException($"unknown SDE '{Name}' (sde.name): use one of {string.Join(", ", Names)}"),
    };

    /// <summary>EDM's SDE with this configuration's noise range (0.002 to 80 by default).</summary>
    public EdmSde BuildEdm() => new(SigmaMin ?? 0.002, SigmaMax ?? 80.0);

    /// <summary>The discrete DDPM chain with this configuration's steps and schedule.</summary>
    public DdpmSde BuildDdpm() => new(Steps, Schedule);
}
