namespace Scorpio.Astro.Baselines;

/// <summary>
/// Mask-and-interpolate baseline for satellite trails (and any masked pixels): masked pixels are
/// replaced by the harmonic interpolant of the surrounding unmasked pixels, i.e. the solution of
/// Laplace's equation inside the mask with the unmasked pixels as fixed boundary values (the
/// smoothest fill; across a narrow trail it is close to linear interpolation between the two
/// edges). Solved by successive over-relaxation (omega 1.9) on the 4-neighbour stencil;
/// neighbours outside the image are ignored (zero-gradient border). The fill has no noise.
/// </summary>
public static class TrailInterpolation
{
    /// <summary>Fills the masked pixels of every (H, W) plane; returns a new image.</summary>
    /// <param name="image">(H, W), (N, H, W) or (N, C, H, W)</param>
    /// <param name="mask">same (H, W) per plane, or one (H, W) mask for all planes; non-zero = replace</param>
    /// <param name="tolerance">stop when the largest update is below this fraction of the data's robust range</param>
    /// <param name="maxIterations">upper bound on SOR sweeps</param>
    public static ImageData Fill(ImageData image, ImageData mask, double tolerance = 1e-4, int maxIterations = 5000)
    {
        if (image.Rank < 2) throw new InvalidSettingException("image", $"must be an (H, W) image or a stack of them to interpolate, got {image}");
        int h = image.Height, w = image.Width, hw = h * w;
        bool shared = mask.PlaneCount == 1;
        if (mask.Height != h || mask.Width != w || (!shared && mask.PlaneCount != image.PlaneCount))
            throw new InvalidSettingException("mask", $"{mask} does not match image {image}: give one (H, W) mask or one per plane");
        for (int p = 0; p < image.PlaneCount; p++)
        {
            var m = mask.Data.AsSpan(shared ? 0 : p * hw, hw);
            var plane = image.Data.AsSpan(p * hw, hw);
            bool any = false;
            for (int i = 0; i < hw && !any; i++) any = m[i] == 0 && float.IsFinite(plane[i]);
            if (!any) throw new InvalidSettingException("mask", $"covers every pixel of plane {p} (or the rest is not finite): nothing to interpolate from");
        }
        var output = image.Clone();
        Parallel.For(0, image.PlaneCount, p =>
        {
            var plane = output.Data.AsSpan(p * hw, hw);
            var m = mask.Data.AsSpan(shared ? 0 : p * hw, hw);
            FillPlane(plane, m, h, w, tolerance, maxIterations);
        });
        return output;
    }

    private static void FillPlane(Span<float> plane, ReadOnlySpan<float> mask, int h, int w, double tolerance, int maxIterations)
    {
        var holes = new List<int>();
        double lo = double.MaxValue, hi = double.MinValue, sum = 0;
        int known = 0;
        for (int i = 0; i < plane.Length; i++)
        {
            if (mask[i] != 0 || !float.IsFinite(plane[i])) holes.Add(i);
            else
            {
                lo = Math.Min(lo, plane[i]);
                hi = Math.Max(hi, plane[i]);
                sum += plane[i];
                known++;
            }
        }
        if (holes.Count == 0) return;
        var isHole = new bool[plane.Length];
        foreach (int i in holes) isHole[i] = true;
        float start = (float)(sum / known);
        var v = new double[plane.Length];
        for (int i = 0; i < plane.Length; i++) v[i] = isHole[i] ? start : plane[i];
        double stop = tolerance * Math.Max(hi - lo, 1e-30);
        const double omega = 1.9;
        for (int it = 0; it < maxIterations; it++)
        {
            double maxChange = 0;
            foreach (int i in holes)
            {
                int y = i / w, x = i - y * w;
                double acc = 0;
                int count = 0;
                if (x > 0) { acc += v[i - 1]; count++; }
                if (x < w - 1) { acc += v[i + 1]; count++; }
                if (y > 0) { acc += v[i - w]; count++; }
                if (y < h - 1) { acc += v[i + w]; count++; }
                if (count == 0) continue;
                double change = omega * (acc / count - v[i]);
                v[i] += change;
                maxChange = Math.Max(maxChange, Math.Abs(change));
            }
            if (maxChange < stop) break;
        }
        foreach (int i in holes) plane[i] = (float)v[i];
    }
}
