using Scorpio.Astro;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// The forward model of one exposure, applied in this order to a model image of the prior's shape (C, H, W):
/// resampling by <see cref="Scale"/> (apparent size or pixel scale; Spagnoletti et al. 2024), a geometric warp by bilinear
/// interpolation (a sub-pixel <see cref="Shift"/> of a dithered exposure, or a coordinate map <see cref="Warp"/> from its
/// WCS; Adam et al. 2023), convolution with the PSF on that grid, average pooling by <see cref="Pool"/> to the observed
/// pixels. Each step is optional; none gives the identity (denoising).
/// </summary>
public sealed record ForwardModelSpec
{
    /// <summary>The PSF (C or 1, Kh, Kw) sampled <see cref="PsfSupersample"/> times finer than the observation, or null.</summary>
    public Tensor? Psf { get; init; }
    /// <summary>Where the PSF came from (file or model), for summaries.</summary>
    public string? PsfSource { get; init; }
    /// <summary>
    /// Integer factor by which the PSF is sampled more finely than the observed pixels (HST library: 4); null = the PSF is
    /// sampled on the model grid (= <see cref="Pool"/>). A finer PSF is binned to the model grid.
    /// </summary>
    public int? PsfSupersample { get; init; }
    /// <summary>Model pixels per observed pixel along each axis (average pooling); 1 = same grid.</summary>
    public int Pool { get; init; } = 1;
    /// <summary>Resampling factor applied first (output/input pixels), or null.</summary>
    public double? Scale { get; init; }
    /// <summary>Sub-pixel shift (dx, dy) of this exposure in model pixels: the model image is read at (x + dx, y + dy); or null.</summary>
    public (double Dx, double Dy)? Shift { get; init; }
    /// <summary>A coordinate map (2, H', W'): model x then y of every warped pixel (0-based pixel centres), or null; replaces <see cref="Shift"/>.</summary>
    public Tensor? Warp { get; init; }
    /// <summary>Where the coordinate map came from, for summaries.</summary>
    public string? WarpSource { get; init; }
    /// <summary>FFT or direct convolution.</summary>
    public ConvolutionMethod Method { get; init; } = ConvolutionMethod.Fft;

    /// <summary>The observed shape (C, H', W') this model predicts for a prior of <paramref name="modelShape"/>.</summary>
    public long[] ObservedShape(long[] modelShape)
    {
        long h = modelShape[1], w = modelShape[2];
        if (Scale is double s) { h = Math.Max(1, (long)Math.Round(h * s)); w = Math.Max(1, (long)Math.Round(w * s)); }
        if (Warp is not null) { h = Warp.Size(1); w = Warp.Size(2); }
        return [modelShape[0], h / Math.Max(1, Pool), w / Math.Max(1, Pool)];
    }

    /// <summary>Builds A for a prior whose images are <paramref name="modelShape"/> = (C, H, W).</summary>
    public ForwardOperator Build(long[] modelShape)
    {
        if (Pool < 1) throw new InvalidSettingException("pool", $"must be a positive integer (got {Pool})");
        var parts = new List<ForwardOperator>();
        try
        {
            long[] shape = modelShape;
            if (Scale is double s && s != 1.0)
            {
                var r = new Resampling(s, shape);
                parts.Add(r);
                shape = r.OutputShape;
            }
            if (Warp is not null || Shift is not null)
            {
                using var coordinates = Warp?.Alias() ?? ShiftCoordinates(shape, Shift!.Value);
                var warp = new BilinearWarp(coordinates, shape);
                parts.Add(warp);
                shape = warp.OutputShape;
            }
            if (Psf is not null)
            {
                using var onGrid = Operators.Psf.ForModelGrid(Psf, PsfSupersample ?? Pool, Pool, PsfSource ?? "PSF");
                parts.Add(new PsfConvolution(onGrid, shape, Method));
            }
            if (Pool > 1)
            {
                var p = new AveragePooling(Pool, shape);
                parts.Add(p);
            }
            if (parts.Count == 0) return new IdentityOperator(modelShape);
            return parts.Count == 1 ? parts[0] : new Compose([.. parts]);
        }
        catch
        {
            foreach (var p in parts) p.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that an observation of <paramref name="observed"/> shape fits a prior of <paramref name="modelShape"/>;
    /// the messages explain how to cut stamps or which prior size would fit.
    /// </summary>
    public void CheckObservation(long[] observed, long[] modelShape, string source)
    {
        var expected = ObservedShape(modelShape);
        if (observed[0] != modelShape[0])
            throw new UserInputException($"{source} has {observed[0]} band(s) but the prior was trained on {modelShape[0]}-channel images: give an observation with the prior's bands (in the same order)");
        if (observed[1] == expected[1] && observed[2] == expected[2]) return;
        string model = $"the prior was trained on {modelShape[1]}x{modelShape[2]} images" +
            (Scale is double s && s != 1 ? $", resampled by {s:g4}" : "") + (Pool > 1 ? $" and pooled by {Pool}" : "");
        if (observed[1] > expected[1] || observed[2] > expected[2])
            throw new UserInputException($"{source} is {observed[1]}x{observed[2]} pixels, larger than the {expected[1]}x{expected[2]} the forward model predicts ({model}). " +
                $"Cut a {expected[1]}x{expected[2]} stamp centred on the target (scorpio data cutouts --image FILE --size {expected[1]} --sources, or astropy's Cutout2D keeping the WCS) " +
                "and sample each stamp separately, " +
                "or train a prior on larger images.");
        throw new UserInputException($"{source} is {observed[1]}x{observed[2]} pixels but the forward model predicts {expected[1]}x{expected[2]} ({model}): " +
            $"this prior was trained on another image size. Cut {expected[1]}x{expected[2]} stamps, or use a prior trained on " +
            $"{PriorSizeFor(observed[1])}x{PriorSizeFor(observed[2])} images.");
    }

    /// <summary>The coordinate map of a constant shift on a grid of <paramref name="shape"/> (C, H, W): x + dx, y + dy.</summary>
    private static Tensor ShiftCoordinates(long[] shape, (double Dx, double Dy) shift)
    {
        long h = shape[1], w = shape[2];
        var c = new double[2 * h * w];
        for (long i = 0; i < h; i++)
            for (long j = 0; j < w; j++)
            {
                c[i * w + j] = j + shift.Dx;
                c[h * w + i * w + j] = i + shift.Dy;
            }
        return torch.FromArray(c, 2, h, w);
    }

    private long PriorSizeFor(long observed) => (long)Math.Round(observed * Math.Max(1, Pool) / (Scale ?? 1.0));

    public string Describe() =>
        string.Join(" -> ", new[]
        {
            Scale is double s && s != 1 ? $"resample({s:g4})" : null,
            Warp is not null ? $"warp({WarpSource ?? "coordinate map"})" : Shift is { } d ? $"shift({d.Dx:g4}, {d.Dy:g4})" : null,
            Psf is not null ? $"psf({PsfSource ?? "given"}, supersample {PsfSupersample ?? Pool})" : null,
            Pool > 1 ? $"pool({Pool})" : null,
        }.Where(p => p is not null).DefaultIfEmpty("identity"));
}
