using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// preview.png: the panels side by side in one row (observation, median, standard deviation, residual, a few samples...),
/// each titled, enlarged (nearest pixel) to a readable size and given a colour bar, stretched as its
/// <see cref="PreviewPanel.Stretch"/> says. For multi-band images channel 0 is shown.
/// </summary>
public static class PreviewImage
{
    public static void Write(string path, IReadOnlyList<PreviewPanel> panels, string? unit = null)
    {
        if (panels.Count == 0) return;
        var planes = panels.Select(p => Plane(p.Image)).ToList();
        // The signal panels share one range, from all of them pooled, so brightness compares across them.
        var signal = planes.Where((_, i) => panels[i].Stretch == "signal").SelectMany(p => p.Data).ToArray();
        var signalLimits = Stretch.Percentile(0.5, 99.5).Limits(signal);
        var figurePanels = panels.Select((p, i) => p.Stretch switch
        {
            "positive" => new ImagePanel(p.Label, planes[i])
            {
                Stretch = Stretch.Linear(), ColorMap = ColorMap.Viridis, Unit = unit,
                Limits = (0, Stretch.Percentile(0, 99.5).Limits(planes[i].Data).High),
            },
            "symmetric" => new ImagePanel(p.Label, planes[i]) { Stretch = Stretch.Symmetric(99), ColorMap = ColorMap.Diverging, Unit = unit },
            _ => new ImagePanel(p.Label, planes[i]) { Stretch = Stretch.Linear(), Limits = signalLimits, Unit = unit },
        }).ToList();
        PanelFigure.Save(path, new[] { new PanelRow(figurePanels) });
    }

    private static ImageData Plane(Tensor image)
    {
        using var f = image.To(DType.Float32);
        using var c0 = f.Dim == 3 ? f.Select(0, 0) : f.Alias();
        return new ImageData(c0.ToArray<float>(), (int)c0.Size(0), (int)c0.Size(1));
    }
}
