namespace Scorpio.Astro.Imaging;

/// <summary>
/// A colour map: display value t in [0, 1] → RGB in [0, 1], by linear interpolation between anchor colours.
/// <see cref="Viridis"/> (sequential, perceptually uniform) suits variance and uncertainty maps;
/// <see cref="Diverging"/> (blue–white–red, white at 0.5) suits residuals shown with <see cref="Stretch.Symmetric"/>.
/// </summary>
public sealed class ColorMap
{
    private readonly (float R, float G, float B)[] _anchors;

    /// <summary>Name used in figure captions.</summary>
    public string Name { get; }

    /// <summary>The anchor colours (0-1 each), evenly spaced over [0, 1]: what a browser-side viewer interpolates between.</summary>
    public IReadOnlyList<(float R, float G, float B)> Anchors => _anchors;

    /// <summary>Colour for NaN pixels (default mid-grey, so masked areas are visible on every map).</summary>
    public (float R, float G, float B) NanColor { get; init; } = (0.5f, 0.5f, 0.5f);

    /// <summary>A map through the given anchor colours (0-255 each), evenly spaced over [0, 1].</summary>
    public ColorMap(string name, IReadOnlyList<(int R, int G, int B)> anchors)
    {
        if (anchors.Count < 2) throw new ArgumentException("a colour map needs at least two anchor colours");
        Name = name;
        _anchors = anchors.Select(a => (a.R / 255f, a.G / 255f, a.B / 255f)).ToArray();
    }

    /// <summary>Black to white.</summary>
    public static ColorMap Gray { get; } = new("gray", new[] { (0, 0, 0), (255, 255, 255) });

    /// <summary>matplotlib's viridis, from its 11 published colours (#440154 … #fde725).</summary>
    public static ColorMap Viridis { get; } = new("viridis", new[]
    {
        (68, 1, 84), (72, 36, 117), (65, 68, 135), (53, 95, 141), (42, 120, 142), (33, 145, 140),
        (34, 168, 132), (68, 191, 112), (122, 209, 81), (189, 223, 38), (253, 231, 37),
    });

    /// <summary>ColorBrewer RdBu reversed: negative blue, zero white (t = 0.5), positive red.</summary>
    public static ColorMap Diverging { get; } = new("diverging (RdBu_r)", new[]
    {
        (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240), (247, 247, 247),
        (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31),
    });

    /// <summary>The colour of display value <paramref name="t"/> (clipped to [0, 1]; NaN gives <see cref="NanColor"/>).</summary>
    public (float R, float G, float B) this[float t]
    {
        get
        {
            if (float.IsNaN(t)) return NanColor;
            float x = Math.Clamp(t, 0, 1) * (_anchors.Length - 1);
            int i = Math.Min((int)x, _anchors.Length - 2);
            float f = x - i;
            var a = _anchors[i];
            var b = _anchors[i + 1];
            return (a.R + f * (b.R - a.R), a.G + f * (b.G - a.G), a.B + f * (b.B - a.B));
        }
    }

    /// <summary>Applies the map to display values, giving three planes.</summary>
    public (float[] R, float[] G, float[] B) Apply(float[] t01)
    {
        var r = new float[t01.Length]; var g = new float[t01.Length]; var b = new float[t01.Length];
        for (int i = 0; i < t01.Length; i++) (r[i], g[i], b[i]) = this[t01[i]];
        return (r, g, b);
    }

    public override string ToString() => Name;
}
