namespace Scorpio.Astro.Imaging;

/// <summary>
/// One row of a <see cref="PanelFigure"/>. With <paramref name="SharedStretch"/> every panel of the row is drawn with
/// the first panel's stretch, colour map and limits (the reference, e.g. the truth), so brightness compares across
/// panels (truth, observation, posterior median, baseline); otherwise each panel keeps its own.
/// </summary>
public sealed record PanelRow(IReadOnlyList<ImagePanel> Panels, bool SharedStretch = false)
{
    /// <summary>The panels as drawn: with a shared stretch, each takes the first panel's stretch, map and limits.</summary>
    public IReadOnlyList<ImagePanel> Resolved()
    {
        if (!SharedStretch || Panels.Count == 0) return Panels;
        var first = Panels[0];
        var limits = first.ResolvedLimits();
        return Panels.Select(p => p with { Stretch = first.Stretch, ColorMap = first.ColorMap, Limits = limits, Unit = p.Unit ?? first.Unit }).ToList();
    }
}
