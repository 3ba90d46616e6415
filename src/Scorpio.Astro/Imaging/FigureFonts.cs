using SkiaSharp;

namespace Scorpio.Astro.Imaging;

/// <summary>
/// The typeface of every figure: DejaVu Sans (Debian's fonts-dejavu-core, which tools/deps.sh installs) read from its
/// file, else whatever sans-serif face fontconfig offers. A machine with no font at all gets an error naming the
/// package to install, rather than figures with blank titles and colour-bar labels.
/// </summary>
internal static class FigureFonts
{
    private static readonly string[] Candidates =
    {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    };

    private static readonly Lazy<SKTypeface> Sans = new(Load);

    /// <summary>The sans-serif typeface used for titles, ticks and legends.</summary>
    public static SKTypeface Typeface => Sans.Value;

    /// <summary>A font of <paramref name="size"/> pixels.</summary>
    public static SKFont Font(float size) => new(Typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface Load()
    {
        foreach (var path in Candidates)
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } t) return t;
        var matched = SKFontManager.Default.MatchFamily("DejaVu Sans") ?? SKFontManager.Default.MatchFamily("sans-serif");
        if (matched is not null && matched.GlyphCount > 0) return matched;
        throw new UserInputException("figures need a font and none was found: install one, e.g. " +
            "'apt-get install fonts-dejavu-core' (tools/deps.sh does it)");
    }
}
