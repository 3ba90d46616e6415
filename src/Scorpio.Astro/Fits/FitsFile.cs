namespace Scorpio.Astro.Fits;

/// <summary>
/// Reads and writes FITS images through cfitsio. Images come back as <see cref="ImageData"/> in physical
/// units (BZERO/BSCALE applied, integer BLANK pixels as NaN) and numpy axis order (NAXIS1 is the last,
/// fastest axis). HDU indices are 0-based (0 = primary), as in astropy.
/// </summary>
public static class FitsFile
{
    /// <summary>
    /// Reads an image. Without <paramref name="hdu"/> or <paramref name="extName"/> the first HDU holding
    /// image data is used (so files with an empty primary header work). <paramref name="extName"/> matches
    /// EXTNAME case-insensitively; "SCI,2" also matches EXTVER = 2.
    /// </summary>
    public static ImageData Read(string path, int? hdu = null, string? extName = null) => ReadWithHeader(path, hdu, extName).Image;

    /// <summary>Like <see cref="Read"/>, also returning every header card of that HDU.</summary>
    public static (ImageData Image, FitsHeader Header) ReadWithHeader(string path, int? hdu = null, string? extName = null)
    {
        CFitsio.EnsureLoaded();
        lock (CFitsio.Gate)
            return Named(path, () =>
            {
                using var f = FitsHandle.OpenRead(path);
                int index = FitsHduSelector.Select(f, hdu, extName);
                return (FitsImageReader.ReadImage(f, index), FitsImageReader.ReadHeader(f, index));
            });
    }

    // Errors about a header's values (FitsHeader knows no file) get the file's name in front.
    private static T Named<T>(string path, Func<T> read)
    {
        try { return read(); }
        catch (UserInputException e) when (e is not InvalidSettingException && !e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new UserInputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the header of one HDU (0-based <paramref name="hdu"/>, default the primary) without its data.</summary>
    public static FitsHeader ReadHeader(string path, int hdu = 0)
    {
        CFitsio.EnsureLoaded();
        lock (CFitsio.Gate)
            return Named(path, () =>
            {
                using var f = FitsHandle.OpenRead(path);
                int n = f.HduCount();
                if (hdu < 0 || hdu >= n) throw new UserInputException($"{path}: HDU {hdu} does not exist (the file has {n} HDUs, 0..{n - 1})");
                return FitsImageReader.ReadHeader(f, hdu);
            });
    }

    /// <summary>
    /// Writes one image atomically (temporary file in the same folder, then rename). SIMPLE, BITPIX, NAXISn,
    /// BZERO/BSCALE/BLANK are computed; every other card of <paramref name="header"/> is copied.
    /// <paramref name="bitpix"/>: -32/-64 store the floats as IEEE; 8/16/32/64 store
    /// round((value - BZERO) / BSCALE), taking BZERO/BSCALE/BLANK from the header when present (default 0/1),
    /// NaN as BLANK (a stored value no real pixel uses); a value that does not fit is an error. A "[compress]"
    /// or "[compress R]"/"[compress G]" suffix on <paramref name="path"/> writes a tile-compressed image (cfitsio
    /// syntax): lossless for integer BITPIX; float data is quantised by cfitsio with clock-seeded dithering,
    /// so compressed float files are lossy and not byte-reproducible.
    /// </summary>
    public static void Write(string path, ImageData image, FitsHeader? header = null, int bitpix = -32) =>
        FitsImageWriter.Write(path, new[] { (image, header, (string?)null, bitpix) });

    /// <summary>
    /// Writes several images into one file atomically: the first becomes the primary HDU, the rest IMAGE
    /// extensions, each with its optional header and EXTNAME. Pixels are stored as float32 (BITPIX -32).
    /// An image with no pixels gives an empty HDU (e.g. a header-only primary).
    /// </summary>
    public static void WriteMulti(string path, IReadOnlyList<(ImageData Image, FitsHeader? Header, string? ExtName)> hdus) =>
        FitsImageWriter.Write(path, hdus.Select(h => (h.Image, h.Header, h.ExtName, -32)).ToList());

    /// <summary>Lists every HDU: index, EXTNAME, BITPIX, shape (numpy order) and type (image/table/empty).</summary>
    public static IReadOnlyList<FitsHduInfo> List(string path)
    {
        CFitsio.EnsureLoaded();
        lock (CFitsio.Gate)
            return Named(path, () =>
            {
                using var f = FitsHandle.OpenRead(path);
                int n = f.HduCount();
                var list = new List<FitsHduInfo>(n);
                for (int i = 0; i < n; i++) list.Add(FitsHduSelector.Describe(f, i));
                return (IReadOnlyList<FitsHduInfo>)list;
            });
    }
}
