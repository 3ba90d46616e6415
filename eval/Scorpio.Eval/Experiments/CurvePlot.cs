using Scorpio.Astro.Imaging;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// A minimal PNG line plot on the unit square (x and y in 0..1), for coverage curves: a frame, the dashed grey diagonal
/// (perfect calibration) and one coloured polyline per series (red, blue, green, purple in order; the caption names
/// them, as Scorpio.Astro's text drawing is internal). PNG because RESULTS.md figures are PNGs written by Scorpio.Astro's writer.
/// </summary>
internal static class CurvePlot
{
    private static readonly (float R, float G, float B)[] Colours = { (0.85f, 0.2f, 0.1f), (0.1f, 0.35f, 0.85f), (0.1f, 0.6f, 0.2f), (0.6f, 0.2f, 0.7f) };

    /// <summary>The colour names of the series, in order, for captions.</summary>
    public static readonly string[] ColourNames = { "red", "blue", "green", "purple" };

    /// <summary>Writes the plot; <paramref name="series"/> are (label, x values, y values).</summary>
    public static void SaveUnitSquare(string path, IReadOnlyList<(string Label, double[] X, double[] Y)> series, int size = 360)
    {
        const int margin = 20;
        var canvas = new Canvas(size + 2 * margin, size + 2 * margin);
        (int, int) P(double x, double y) => (margin + (int)Math.Round(Math.Clamp(x, 0, 1) * size), margin + size - (int)Math.Round(Math.Clamp(y, 0, 1) * size));
        Line(canvas, P(0, 0), P(1, 0), (0, 0, 0));
        Line(canvas, P(1, 0), P(1, 1), (0, 0, 0));
        Line(canvas, P(1, 1), P(0, 1), (0, 0, 0));
        Line(canvas, P(0, 1), P(0, 0), (0, 0, 0));
        for (int k = 0; k < 40; k += 2) Line(canvas, P(k / 40.0, k / 40.0), P((k + 1) / 40.0, (k + 1) / 40.0), (0.5f, 0.5f, 0.5f));
        for (int s = 0; s < series.Count; s++)
        {
            var (label, xs, ys) = series[s];
            var c = Colours[s % Colours.Length];
            for (int i = 1; i < xs.Length; i++) Line(canvas, P(xs[i - 1], ys[i - 1]), P(xs[i], ys[i]), c, thick: true);
        }
        Png.WriteRgb(path, canvas.R, canvas.G, canvas.B, canvas.Width, canvas.Height);
    }

    private static void Line(Canvas canvas, (int X, int Y) a, (int X, int Y) b, (float R, float G, float B) c, bool thick = false)
    {
        int n = Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) + 1;
        for (int i = 0; i <= n; i++)
        {
            int x = a.X + (int)Math.Round((b.X - a.X) * (double)i / n), y = a.Y + (int)Math.Round((b.Y - a.Y) * (double)i / n);
            for (int d = 0; d <= (thick ? 1 : 0); d++)
                for (int e = 0; e <= (thick ? 1 : 0); e++)
                    if (x + d < canvas.Width && y + e < canvas.Height && x + d >= 0 && y + e >= 0) canvas.Set(x + d, y + e, c.R, c.G, c.B);
        }
    }

    private sealed class Canvas
    {
        public int Width { get; }
        public int Height { get; }
        public float[] R { get; }
        public float[] G { get; }
        public float[] B { get; }

        public Canvas(int width, int height)
        {
            Width = width; Height = height;
            R = Enumerable.Repeat(1f, width * height).ToArray(); G = (float[])R.Clone(); B = (float[])R.Clone();
        }

        public void Set(int x, int y, float r, float g, float b)
        {
            int i = y * Width + x;
            R[i] = r; G[i] = g; B[i] = b;
        }
    }
}
