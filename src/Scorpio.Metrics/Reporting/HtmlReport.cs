using System.Globalization;
using System.Net;
using System.Text;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Imaging;

namespace Scorpio.Metrics.Reporting;

/// <summary>
/// Builds a self-contained HTML report: headings, paragraphs, tables, inline SVG figures, PNG figures embedded as
/// data: URIs (image panels with colour bars from <see cref="PanelFigure"/>) and interactive <see cref="ImageViewer"/>s
/// whose script and data are inline, so the file opens in a browser from file:// with no network and no side files.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private readonly string _title;
    private bool _hasViewer;

    /// <summary>Starts a report titled <paramref name="title"/>.</summary>
    public HtmlReport(string title) { _title = title; }

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text, int level = 2)
    {
        _body.Append($"<h{level}>{Esc(text)}</h{level}>\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass == null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Esc(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a table; cells are text (doubles are formatted with 4 significant digits by <see cref="Format"/>).</summary>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Esc(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var r in rows)
        {
            _body.Append("<tr>");
            foreach (var c in r) _body.Append("<td>").Append(Esc(c)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Adds an inline SVG figure (the markup is trusted: it comes from this library's plotter).</summary>
    public HtmlReport Svg(string svg, string? caption = null)
    {
        _body.Append("<figure>").Append(svg);
        if (caption != null) _body.Append("<figcaption>").Append(Esc(caption)).Append("</figcaption>");
        _body.Append("</figure>\n");
        return this;
    }

    /// <summary>Adds a PNG figure embedded as a base64 data: URI.</summary>
    public HtmlReport Png(byte[] png, string alt, string? caption = null)
    {
        _body.Append("<figure><img alt=\"").Append(Esc(alt)).Append("\" src=\"data:image/png;base64,")
             .Append(Convert.ToBase64String(png)).Append("\"/>");
        if (caption != null) _body.Append("<figcaption>").Append(Esc(caption)).Append("</figcaption>");
        _body.Append("</figure>\n");
        return this;
    }

    /// <summary>
    /// Adds a figure of image panels (<see cref="PanelFigure"/>: readable stamps, titles, colour bars) embedded as PNG;
    /// with <paramref name="savePath"/> the PNG is also written there (for galleries and papers).
    /// </summary>
    public HtmlReport Figure(IReadOnlyList<PanelRow> rows, string alt, string? caption = null, string? savePath = null)
    {
        var png = PanelFigure.Png(rows);
        if (savePath != null) AtomicFile.WriteAllBytes(savePath, png);
        return Png(png, alt, caption);
    }

    /// <summary>Adds an interactive image viewer (its script and style are inlined once per report).</summary>
    public HtmlReport Viewer(ImageViewer viewer)
    {
        _body.Append(viewer.Html());
        _hasViewer = true;
        return this;
    }

    /// <summary>Adds preformatted text (commands, logs).</summary>
    public HtmlReport Code(string text)
    {
        _body.Append("<pre>").Append(Esc(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>Adds trusted HTML markup as is (links, emphasis); never pass text from a file or the user here.</summary>
    public HtmlReport Raw(string html)
    {
        _body.Append(html).Append('\n');
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string Render() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" + Esc(_title) + "</title><style>" +
        "body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;color:#222}" +
        "table{border-collapse:collapse;margin:0.8em 0}th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}" +
        "th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}figure{display:inline-block;margin:0.5em}" +
        "img{max-width:100%;image-rendering:pixelated}figcaption{font-size:0.85em;color:#555;max-width:720px}.note{color:#555;font-size:0.9em}" +
        "pre{background:#f4f4f4;padding:8px;overflow-x:auto;white-space:pre-wrap}" + (_hasViewer ? ImageViewer.Css : "") +
        "</style></head><body>\n<h1>" + Esc(_title) + "</h1>\n" + _body +
        (_hasViewer ? "<script>\n" + ImageViewer.Script + "</script>\n" : "") + "</body></html>\n";

    /// <summary>Writes the document to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, Render());

    /// <summary>A number for a table: 4 significant digits, "n/a" for NaN.</summary>
    public static string Format(double v) =>
        double.IsNaN(v) ? "n/a" : double.IsPositiveInfinity(v) ? "inf" : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
