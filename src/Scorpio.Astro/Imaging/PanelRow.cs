namespace Scorpio.Astro.Imaging;

/// <summary>
/// One row of a <see cref="PanelFigure"/>. With <paramref name="SharedStretch"/> every panel of the row is drawn with
/// the stretch, colour map and limits of panel <paramref name="Reference"/> (e.g. the truth, else the posterior median), so
/// brightness compares across panels (truth, observation, posterior median, baseline); otherwise each panel keeps its own.
/// </summary>
public sealed record PanelRow(IReadOnlyList<ImagePanel> Panels, bool SharedStretch = false, int Reference = 0)
{
    /// <summary>The panels as drawn: with a shared stretch, each takes the reference panel's stretch, map and limits.</summary>
    public IReadOnlyList<ImagePanel> Resolved()
    {
        if (!SharedStretch || Panels.Count == 0) return Panels;
        if (Reference < 0 || Reference >= Panels.Count) throw new ArgumentOutOfRangeException(nameof(Reference), $"reference panel {Reference} of a row of {Panels.Count}");
        var first = Panels[Reference];
        var limits = first.ResolvedLimits();
        return Panels.Select(p => p with { Stretch = first.Stretch, ColorMap = first.ColorMap, Limits = limits, Unit = p.Unit ?? first.Unit }).ToList();
    }
}
