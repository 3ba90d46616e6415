using Scorpio.Astro.DataTools;
using SkiaSharp;

namespace Scorpio.Astro.Imaging;

/// <summary>
/// A figure of image panels in rows, drawn with Skia: each panel has a title in a real font, its pixels enlarged by
/// whole numbers with nearest-neighbour sampling (so a pixel stays a pixel) to at least <see cref="MinStampPixels"/>
/// on screen, and a colour bar with ticks in the image's physical units, the unit and the stretch written under it.
/// Rows marked <see cref="PanelRow.SharedStretch"/> share one stretch and one set of limits.
/// </summary>
public static class PanelFigure
{
    /// <summary>The smallest side of a drawn stamp, in screen pixels: 32x32 stamps are drawn 5x, 16x16 ones 10x.</summary>
    public const int MinStampPixels = 160;
    /// <summary>Images larger than this (pixels) are shrunk to fit it, so full frames stay a sensible size.</summary>
    public const int MaxStampPixels = 768;

    private const float Pad = 10, TitleSize = 15, TickSize = 11, CaptionSize = 11, FigureTitleSize = 18;
    private const float TitleH = 24, BarGap = 6, BarH = 12, TickLen = 4, TickLabelH = 14, CaptionH = 16, FigureTitleH = 32;
    private const float MinCellW = 180;

    /// <summary>Screen pixels per image pixel for an (h, w) image: a whole-number zoom up to <see cref="MinStampPixels"/>, a shrink beyond <see cref="MaxStampPixels"/>.</summary>
    public static float Zoom(int h, int w)
    {
        int m = Math.Max(h, w);
        if (m < MinStampPixels) return (float)Math.Ceiling((double)MinStampPixels / m);
        return m > MaxStampPixels ? (float)MaxStampPixels / m : 1f;
    }

    /// <summary>Writes the figure as a PNG to <paramref name="path"/> (atomically).</summary>
    public static void Save(string path, IReadOnlyList<PanelRow> rows, string? title = null) =>
        AtomicFile.WriteAllBytes(path, Png(rows, title));

    /// <summary>The figure as PNG bytes (e.g. to embed in an HTML report).</summary>
    public static byte[] Png(IReadOnlyList<PanelRow> rows, string? title = null)
    {
        if (rows.Count == 0 || rows.All(r => r.Panels.Count == 0)) throw new UserInputException("figure: no image panels to draw");
        var resolved = rows.Select(r => r.Resolved()).Where(r => r.Count > 0).ToList();
        var layouts = resolved.Select(LayoutRow).ToList();
        float width = Math.Max(layouts.Max(l => l.Width), title is null ? 0 : Measure(title, FigureTitleSize) + 2 * Pad);
        float height = (title is null ? 0 : FigureTitleH) + layouts.Sum(l => l.Height) + Pad;
        var info = new SKImageInfo((int)Math.Ceiling(width), (int)Math.Ceiling(height), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"Skia could not make a {info.Width}x{info.Height} surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        float y = 0;
        if (title is not null)
        {
            Text(canvas, title, width / 2, 22, FigureTitleSize, SKColors.Black, SKTextAlign.Center);
            y = FigureTitleH;
        }
        for (int r = 0; r < resolved.Count; r++)
        {
            DrawRow(canvas, resolved[r], layouts[r], y);
            y += layouts[r].Height;
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private sealed record RowLayout(float CellW, float ImageH, bool Bars, float Width, float Height);

    private static RowLayout LayoutRow(IReadOnlyList<ImagePanel> panels)
    {
        float cellW = MinCellW, imageH = 0;
        foreach (var p in panels)
        {
            float z = Zoom(p.Image.Height, p.Image.Width);
            cellW = Math.Max(cellW, p.Image.Width * z);
            imageH = Math.Max(imageH, p.Image.Height * z);
        }
        bool bars = panels.Any(p => !p.IsRgb);
        float height = Pad + TitleH + imageH + (bars ? BarGap + BarH + TickLen + TickLabelH + CaptionH : 0);
        return new RowLayout(cellW, imageH, bars, Pad + panels.Count * (cellW + Pad), height);
    }

    private static void DrawRow(SKCanvas canvas, IReadOnlyList<ImagePanel> panels, RowLayout l, float y0)
    {
        for (int k = 0; k < panels.Count; k++)
        {
            var p = panels[k];
            float x0 = Pad + k * (l.CellW + Pad), top = y0 + Pad;
            FittedText(canvas, p.Title, x0 + l.CellW / 2, top + 16, TitleSize, l.CellW);
            float z = Zoom(p.Image.Height, p.Image.Width), w = p.Image.Width * z, h = p.Image.Height * z;
            float ix = x0 + (l.CellW - w) / 2, iy = top + TitleH + (l.ImageH - h) / 2;
            var (lo, hi) = p.IsRgb ? (0, 1) : p.ResolvedLimits();
            var rgb = Preview.Render(p.Image, p.Stretch, p.IsRgb ? null : p.ColorMap, (lo, hi));
            using (var img = ToImage(rgb.W, rgb.H, rgb.R, rgb.G, rgb.B))
                canvas.DrawImage(img, new SKRect(ix, iy, ix + w, iy + h), new SKSamplingOptions(SKFilterMode.Nearest));
            using (var frame = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), Style = SKPaintStyle.Stroke, StrokeWidth = 1 })
                canvas.DrawRect(new SKRect(ix - 0.5f, iy - 0.5f, ix + w + 0.5f, iy + h + 0.5f), frame);
            if (!p.IsRgb) ColorBar(canvas, p, lo, hi, x0, top + TitleH + l.ImageH + BarGap, l.CellW);
        }
    }

    /// <summary>A horizontal colour bar: value axis linear in the image's units, colours through the panel's stretch and map.</summary>
    private static void ColorBar(SKCanvas canvas, ImagePanel p, double lo, double hi, float x0, float y0, float width)
    {
        int n = (int)Math.Round(width);
        var r = new float[n]; var g = new float[n]; var b = new float[n];
        for (int i = 0; i < n; i++)
        {
            double v = lo + (hi - lo) * (i + 0.5) / n;
            (r[i], g[i], b[i]) = p.ColorMap[p.Stretch.Map((float)v, lo, hi)];
        }
        using (var img = ToImage(n, 1, r, g, b))
            canvas.DrawImage(img, new SKRect(x0, y0, x0 + width, y0 + BarH), new SKSamplingOptions(SKFilterMode.Nearest));
        using var ink = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawRect(new SKRect(x0, y0, x0 + width, y0 + BarH), ink);
        float lastRight = float.NegativeInfinity;
        var ticks = NiceTicks.Linear(lo, hi, Math.Max(2, (int)(width / 60))).ToList();
        if (ticks.Count < 2) ticks = new() { (lo, NiceTicks.Label(lo)), (hi, NiceTicks.Label(hi)) };
        foreach (var (v, label) in ticks)
        {
            float x = x0 + (float)((v - lo) / (hi - lo)) * width;
            float half = Measure(label, TickSize) / 2;
            float left = Math.Clamp(x - half, x0 - 8, x0 + width + 8 - 2 * half);
            if (left < lastRight + 6) continue; // labels never overlap: a crowded tick is dropped
            canvas.DrawLine(x, y0 + BarH, x, y0 + BarH + TickLen, ink);
            Text(canvas, label, left, y0 + BarH + TickLen + 11, TickSize, SKColors.Black, SKTextAlign.Left);
            lastRight = left + 2 * half;
        }
        string caption = (p.Unit is { Length: > 0 } u ? u + " · " : "") + p.Stretch.Name;
        FittedText(canvas, caption, x0 + width / 2, y0 + BarH + TickLen + TickLabelH + 12, CaptionSize, width, new SKColor(0x44, 0x44, 0x44));
    }

    private static SKImage ToImage(int w, int h, float[] r, float[] g, float[] b)
    {
        var px = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++)
        {
            px[4 * i] = Byte(r[i]); px[4 * i + 1] = Byte(g[i]); px[4 * i + 2] = Byte(b[i]); px[4 * i + 3] = 255;
        }
        return SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), px, w * 4);
    }

    private static byte Byte(float v) => (byte)MathF.Round(Math.Clamp(float.IsNaN(v) ? 0 : v, 0, 1) * 255);

    private static float Measure(string text, float size)
    {
        using var font = FigureFonts.Font(size);
        return font.MeasureText(text);
    }

    private static void Text(SKCanvas canvas, string text, float x, float y, float size, SKColor color, SKTextAlign align)
    {
        using var font = FigureFonts.Font(size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawText(text, x, y, align, font, paint);
    }

    /// <summary>Centred text, shrunk (down to 9 px) and then cut with an ellipsis to fit <paramref name="maxWidth"/>.</summary>
    private static void FittedText(SKCanvas canvas, string text, float cx, float y, float size, float maxWidth, SKColor? color = null)
    {
        while (size > 9 && Measure(text, size) > maxWidth - 4) size -= 0.5f;
        string shown = text;
        while (shown.Length > 1 && Measure(shown, size) > maxWidth - 4) shown = shown[..^2] + "…";
        Text(canvas, shown, cx, y, size, color ?? SKColors.Black, SKTextAlign.Center);
    }
}
