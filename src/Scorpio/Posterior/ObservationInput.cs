using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// An observation read for inference: pixel values (C, H, W) with NaNs replaced by 0, the mask of usable pixels
/// (1 = observed, 0 = missing: NaN in the file or flagged by the user's mask), and the FITS header (WCS included) to copy into
/// the outputs. Everything a user can get wrong is checked here with messages that say what to do.
/// <para>Mask conventions: a mask FILE (<see cref="Load"/>) is a bad-pixel map, non-zero = missing (as DQ arrays and the
/// inpainting region are usually given); an in-memory mask (<see cref="FromImage"/>) is the observed-pixel mask, 1 = observed,
/// like <see cref="Operators.MaskOperator"/>.</para>
/// </summary>
public sealed class ObservationInput : IDisposable
{
    private ObservationInput(Tensor values, Tensor mask, FitsHeader header, string source, long nanCount, long maskedCount)
    {
        Values = values.DetachFromDisposeScope();
        Mask = mask.DetachFromDisposeScope();
        Header = header;
        Source = source;
        NanCount = nanCount;
        MaskedCount = maskedCount;
    }

    /// <summary>Pixel values (C, H, W) float64, physical units, NaN set to 0.</summary>
    public Tensor Values { get; }
    /// <summary>1 where the pixel is used, 0 where it is missing (C, H, W) float64.</summary>
    public Tensor Mask { get; }
    public FitsHeader Header { get; }
    public string Source { get; }
    /// <summary>Pixels that were NaN or infinite in the file.</summary>
    public long NanCount { get; }
    /// <summary>All pixels with mask 0 (NaNs and user-masked).</summary>
    public long MaskedCount { get; }
    public long[] Shape => Values.Shape;
    public bool HasMissing => MaskedCount > 0;

    /// <summary>Reads an image FITS file ((H, W), (C, H, W) or (1, C, H, W)) and optionally a mask file.</summary>
    /// <param name="path">the observation.</param>
    /// <param name="maskPath">optional bad-pixel mask: non-zero = missing (not used, or to be inpainted), 0 = observed; (H, W) or (C, H, W) on the same grid.</param>
    /// <param name="notice">receives notices (NaNs treated as masked).</param>
    public static ObservationInput Load(string path, string? maskPath = null, Action<string>? notice = null)
    {
        if (!File.Exists(path)) throw new UserInputException($"observation file '{path}' does not exist");
        var (image, header) = FitsFile.ReadWithHeader(path);
        Tensor? mask = null;
        if (maskPath is not null)
        {
            if (!File.Exists(maskPath)) throw new UserInputException($"mask file '{maskPath}' does not exist");
            mask = ObservedMask(FitsFile.Read(maskPath));
        }
        using (mask) return FromImage(image, header, path, mask, notice);
    }

    /// <summary>
    /// The observed-pixel mask <see cref="FromImage"/> takes (1 = observed, 0 = missing) of a bad-pixel map (non-zero = missing, as a
    /// mask file; NaN counts as missing), as a float32 tensor of the map's shape (the caller disposes it).
    /// </summary>
    public static Tensor ObservedMask(ImageData badPixels) =>
        torch.FromArray(badPixels.Data.Select(v => v == 0 ? 1f : 0f).ToArray(), badPixels.Shape.Select(s => (long)s).ToArray());

    /// <summary>
    /// Builds an observation from memory (tests, simulations); same checks as <see cref="Load"/>. <paramref name="mask"/> here is the
    /// observed-pixel mask: non-zero = observed, 0 = missing.
    /// </summary>
    public static ObservationInput FromImage(ImageData image, FitsHeader? header, string source, Tensor? mask = null, Action<string>? notice = null)
    {
        var s = image.Shape;
        long[] shape = s.Length switch
        {
            2 => [1, s[0], s[1]],
            3 => [s[0], s[1], s[2]],
            4 when s[0] == 1 => [s[1], s[2], s[3]],
            _ => throw new UserInputException($"{source}: an observation is a 2-D image or a (bands, H, W) cube; this one has shape {string.Join("x", s)}"),
        };
        using var scope = torch.NewDisposeScope();
        var raw = torch.FromArray(image.Data, shape).To(DType.Float64);
        var finite = raw.IsFinite();
        long nan = raw.Numel - (long)finite.To(DType.Float64).Sum().ToDouble();
        var valid = finite.To(DType.Float64);
        if (mask is not null)
        {
            var ms = mask.Shape;
            bool ok = (ms.Length == 2 && ms[0] == shape[1] && ms[1] == shape[2])
                || (ms.Length == 3 && (ms[0] == 1 || ms[0] == shape[0]) && ms[1] == shape[1] && ms[2] == shape[2]);
            if (!ok)
                throw new UserInputException($"the mask has shape {string.Join("x", ms)} but the observation {source} is {string.Join("x", shape)}: " +
                    "the mask must be on the observation's pixel grid, (H, W) or one plane per band");
            var m = mask.To(DType.Float64);
            var m3 = m.Dim == 2 ? m.Unsqueeze(0) : m;
            var nonzero = m3.Ne(0.0).LogicalAnd(m3.IsFinite()).To(DType.Float64);
            valid = valid.Mul(nonzero.Expand(shape));
        }
        long masked = raw.Numel - (long)valid.Sum().ToDouble();
        if (masked == raw.Numel) throw new UserInputException($"{source}: every pixel is NaN or masked; nothing is observed");
        if (nan > 0)
            notice?.Invoke($"{source}: {nan} pixel(s) are NaN or infinite; they are treated as masked (no information) and filled by the prior");
        var values = torch.Where(finite, raw, 0.0);
        return new ObservationInput(values.MoveToOuterDisposeScope(), valid.Contiguous().MoveToOuterDisposeScope(), header ?? new FitsHeader(), source, nan, masked);
    }

    /// <summary>
    /// A copy whose mask also drops the pixels where <paramref name="keep"/> (C, H, W) is 0, e.g. pixels whose sigma-map value
    /// is unusable; the caller disposes it.
    /// </summary>
    internal ObservationInput Masked(Tensor keep)
    {
        using var scope = torch.NewDisposeScope();
        var mask = Mask.Mul(keep);
        long masked = Values.Numel - (long)mask.Sum().ToDouble();
        return new ObservationInput(Values.Clone().MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope(), Header, Source, NanCount, masked);
    }

    public void Dispose()
    {
        Values.Dispose();
        Mask.Dispose();
    }
}
