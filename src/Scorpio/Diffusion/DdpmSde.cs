using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>
/// The discrete DDPM of Ho et al. (2020), as the galaxy paper (Smith et al. 2022) trains it: N steps (1000), linear betas
/// (1e-4 to 0.02) or the iDDPM cosine betas (clipped at 0.999). Continuous time t in (0, 1] maps to step
/// i = round(t N) - 1; mu, sigma are sqrt(abar_i), sqrt(1 - abar_i). Tensor coefficients look the steps up in tables
/// kept on each device that asks.
/// </summary>
public sealed class DdpmSde : AlphaBarSde, IDisposable
{
    // Host tables for the tensor coefficients, made on first use (host-only users never allocate them).
    private Tensor? _alphaBars;       // (N,) float64: alpha_bar_i
    private Tensor? _noiseRatios;     // (N,) float64: sigma_i / mu_i = sqrt(1 - abar_i) / sqrt(abar_i), increasing
    private readonly DeviceCopies _devices = new();

    public int Steps { get; }
    public string Schedule { get; }
    /// <summary>beta_i, i = 0..N-1.</summary>
    public double[] Betas { get; }
    /// <summary>alpha_bar_i = prod_{j&lt;=i} (1 - beta_j).</summary>
    public double[] AlphaBars { get; }

    public DdpmSde(int steps = 1000, string schedule = "linear")
    {
        Steps = steps;
        Schedule = schedule;
        Betas = new double[steps];
        if (schedule == "linear")
        {
            double b0 = 1e-4 * 1000 / steps, b1 = 0.02 * 1000 / steps;
            for (int i = 0; i < steps; i++) Betas[i] = b0 + (b1 - b0) * i / Math.Max(1, steps - 1);
        }
        else if (schedule == "cosine")
        {
            const double s = 0.008;
            double F(double t) => Math.Pow(Math.Cos((t + s) / (1 + s) * Math.PI / 2), 2);
            for (int i = 0; i < steps; i++) Betas[i] = Math.Min(1 - F((i + 1.0) / steps) / F((double)i / steps), 0.999);
        }
        else throw new Astro.InvalidSettingException("schedule", $"'{schedule}' is not a DDPM schedule: use linear or cosine");
        AlphaBars = new double[steps];
        double a = 1;
        for (int i = 0; i < steps; i++) { a *= 1 - Betas[i]; AlphaBars[i] = a; }
    }

    public override string Name => "ddpm";
    public override double Epsilon => 1.0 / Steps;

    /// <summary>Step index of continuous time t.</summary>
    public int Index(double t) => Math.Clamp((int)Math.Round(t * Steps) - 1, 0, Steps - 1);
    public double TimeOf(int index) => (index + 1.0) / Steps;

    /// <summary>Step indices (B,) int64 of a batch of times (round half to even, as <see cref="Index(double)"/>).</summary>
    public Tensor Index(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var index = Float64(t).Mul(Steps).Round().Sub(1.0).Clamp(0, Steps - 1);
        return index.To(DType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>Times (B,) float64 of step indices, (i + 1) / N.</summary>
    public Tensor TimeOf(Tensor index)
    {
        using var scope = torch.NewDisposeScope();
        return index.To(DType.Float64).Add(1.0).Div(Steps).MoveToOuterDisposeScope();
    }

    /// <summary>alpha_bar at the steps of a batch of times, (B,) float64.</summary>
    public override Tensor AlphaBar(Tensor t)
    {
        using var index = Index(t);
        return _devices.On(Table(ref _alphaBars, AlphaBars), t).IndexSelect(0, index);
    }

    public override double AlphaBar(double t) => AlphaBars[Index(t)];

    // The continuous limit of the discrete chain: beta(t) ~ N beta_i.
    public override double DriftCoefficient(double t) => -Betas[Index(t)] * Steps / 2;
    public override double Diffusion(double t) => Math.Sqrt(Betas[Index(t)] * Steps);
    public override double PriorSigma => 1.0;

    /// <summary>The first step whose noise ratio reaches <paramref name="ratio"/> (the steps' ratios increase), at its time (i + 1) / N.</summary>
    public override Tensor TimeOfNoiseRatio(Tensor ratio)
    {
        using var scope = torch.NewDisposeScope();
        var r = Float64(ratio);
        var index = torch.SearchSorted(_devices.On(Table(ref _noiseRatios, AlphaBars.Select(ab => Math.Sqrt(1 - ab) / Math.Sqrt(ab)).ToArray()), r), r).Clamp(0, Steps - 1);
        return TimeOf(index).MoveToOuterDisposeScope();
    }

    /// <summary>Every point snapped to its step, repeats dropped (a sub-grid of the trained chain).</summary>
    public override double[] Discretise(double[] grid)
    {
        var steps = new List<double>();
        foreach (var ti in grid)
        {
            double snapped = TimeOf(Index(ti));
            if (steps.Count == 0 || snapped < steps[^1]) steps.Add(snapped);
        }
        return steps.ToArray();
    }

    private static Tensor Table(ref Tensor? table, double[] values)
    {
        lock (values)
        {
            if (table is not null) return table;
            // Cached for the SDE's lifetime: never an inference tensor (see torch.InferenceMode(bool)).
            using (torch.InferenceMode(false)) return table = torch.FromArray(values, values.Length).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        _alphaBars?.Dispose();
        _noiseRatios?.Dispose();
        _devices.Dispose();
    }
}
