using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Imaging;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// The standard picture of a posterior, used by every report that shows one (posterior, evaluate-posterior, the demo):
/// a figure grid (truth | observation | median | baselines on one shared stretch; std | z-score (truth - mean)/std |
/// residual of y) and an <see cref="ImageViewer"/> with the same layers plus the samples.
/// </summary>
public static class PosteriorDisplay
{
    /// <summary>The default stretch of signal panels: asinh, which shows a galaxy's faint disk beside its bright core.</summary>
    public static readonly Stretch Signal = Stretch.Asinh(0.05);

    /// <summary>The product grid as figure rows: signal row on the truth's (else the median's) stretch, then the uncertainty row.</summary>
    public static IReadOnlyList<PanelRow> Grid(PosteriorImages p)
    {
        string? unit = p.Unit ?? "data units";
        var signal = new List<ImagePanel>();
        if (p.Truth is { } truth) signal.Add(Panel("truth", truth, unit));
        if (p.Observation is { } obs) signal.Add(Panel($"observation ({obs.Width}x{obs.Height})", obs, unit));
        signal.Add(Panel("posterior median", p.Median, unit));
        foreach (var (name, image) in p.Baselines) signal.Add(Panel(name, image, unit));
        int reference = p.Truth is null ? signal.FindIndex(x => x.Title == "posterior median") : 0; // the truth sets the stretch, else the median
        var spread = new List<ImagePanel>
        {
            new("posterior std", p.Std) { Stretch = Stretch.Linear(), Limits = (0, Stretch.Percentile(0, 99.5).Limits(p.Std.Data).High), ColorMap = ColorMap.Viridis, Unit = unit },
        };
        if (p.Truth is { } t) spread.Add(new ImagePanel("z = (truth - mean) / std", ZScore(t, p.Mean, p.Std)) { Stretch = Stretch.Linear(), Limits = (-3, 3), ColorMap = ColorMap.Diverging, Unit = "sigma" });
        if (p.Residual is { } r) spread.Add(new ImagePanel("residual y - A(median)", r) { Stretch = Stretch.Symmetric(99), ColorMap = ColorMap.Diverging, Unit = unit });
        return new[] { new PanelRow(signal, SharedStretch: true, Reference: reference), new PanelRow(spread) };
    }

    /// <summary>The viewer: signal layers (truth, observation, median, mean, baselines, samples) on the truth's (else the median's) limits, then std, z-score and residual.</summary>
    public static ImageViewer Viewer(PosteriorImages p, string title)
    {
        string? unit = p.Unit ?? "data units";
        var v = new ImageViewer(title) { Softening = 0.05 };
        if (p.Truth is { } truth) v.Add("truth", truth, unit: unit);
        if (p.Observation is { } obs) v.Add("observation", obs, unit: unit);
        v.Add("posterior median", p.Median, unit: unit, reference: p.Truth is null).Add("posterior mean", p.Mean, unit: unit);
        foreach (var (name, image) in p.Baselines) v.Add(name, image, unit: unit);
        for (int k = 0; k < p.Samples.Count; k++) v.Add($"sample {k}", p.Samples[k], unit: unit, sample: true);
        v.Add("posterior std", p.Std, group: "std", unit: unit, cmap: ColorMap.Viridis);
        if (p.Truth is { } t) v.Add("z-score (truth - mean)/std", ZScore(t, p.Mean, p.Std), group: "z", unit: "sigma", cmap: ColorMap.Diverging);
        if (p.Residual is { } r) v.Add("residual y - A(median)", r, group: "residual", unit: unit, cmap: ColorMap.Diverging);
        return v;
    }

    /// <summary>(truth - mean) / std per pixel; NaN where std is 0 (a pixel the posterior fixes exactly).</summary>
    public static ImageData ZScore(ImageData truth, ImageData mean, ImageData std)
    {
        if (truth.Length != mean.Length || truth.Length != std.Length)
            throw new InvalidSettingException("truth", $"has {truth.Length} pixels but the posterior mean has {mean.Length}; the truth must be on the model grid");
        var z = new float[truth.Data.Length];
        for (int i = 0; i < z.Length; i++) z[i] = std.Data[i] > 0 ? (truth.Data[i] - mean.Data[i]) / std.Data[i] : float.NaN;
        return new ImageData(z, truth.Shape);
    }

    /// <summary>The images of a posterior folder (samples, mean, median, std, residual when present; unit from samples.fits' BUNIT).</summary>
    public static PosteriorImages FromFolder(string dir, Data.PosteriorFolder run, ImageData? truth = null, ImageData? observation = null, int maxSamples = 16)
    {
        var shape = run.Samples.ImageShape;
        int h = shape[^2], w = shape[^1];
        ImageData Plane0(IReadOnlyList<double> v) => new(v.Take(h * w).Select(x => (float)x).ToArray(), h, w);
        var stack = run.Samples.Stack;
        int n = Math.Min(maxSamples, run.Samples.Count), per = run.Samples.PixelCount;
        var samples = Enumerable.Range(0, n).Select(k => new ImageData(stack.Data.AsSpan(k * per, h * w).ToArray(), h, w)).ToList();
        string residualPath = Path.Combine(dir, "residual.fits");
        ImageData? residual = dir.Length > 0 && File.Exists(residualPath) ? First(FitsFile.Read(residualPath)) : null;
        string samplesPath = Path.Combine(dir, "samples.fits");
        string? unit = dir.Length > 0 && File.Exists(samplesPath) ? FitsFile.ReadWithHeader(samplesPath).Header.GetString("BUNIT")?.Trim() : null;
        var obs = observation ?? run.Observation;
        return new PosteriorImages(Plane0(run.Median), Plane0(run.Mean), Plane0(run.Std))
        {
            Truth = truth is null ? null : First(truth), Observation = obs is null ? null : First(obs), Residual = residual,
            Samples = samples, Unit = string.IsNullOrEmpty(unit) ? null : unit,
        };
    }

    /// <summary>The first (H, W) plane of an image or cube.</summary>
    public static ImageData First(ImageData image) => image.Rank == 2 ? image : image.Plane(0);

    private static ImagePanel Panel(string title, ImageData image, string? unit) => new(title, First(image)) { Stretch = Signal, Unit = unit };
}
