namespace Scorpio.Astro.Fits;

/// <summary>Reads the pixels and header cards of one image HDU.</summary>
internal static unsafe class FitsImageReader
{
    // Keywords of the binary table that carries a tile-compressed image: they describe the storage,
    // not the image, and must not be copied into an uncompressed file written from this header.
    private static readonly HashSet<string> CompressionTableKeys = new(StringComparer.Ordinal)
    {
        "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "TFIELDS", "THEAP",
        "ZIMAGE", "ZCMPTYPE", "ZBITPIX", "ZNAXIS", "ZQUANTIZ", "ZDITHER0", "ZSIMPLE", "ZTENSION", "ZEXTEND",
        "ZBLOCKED", "ZPCOUNT", "ZGCOUNT", "ZHECKSUM", "ZDATASUM", "ZBLANK", "ZSCALE", "ZZERO",
    };

    private static readonly string[] CompressionTablePrefixes = { "TTYPE", "TFORM", "TUNIT", "TDIM", "ZNAXIS", "ZTILE", "ZNAME", "ZVAL" };

    public static FitsHeader ReadHeader(FitsHandle f, int index)
    {
        f.MoveTo(index);
        var cards = f.ReadCards();
        if (!f.IsCompressedImage()) return new FitsHeader(cards);
        // Present a tile-compressed image the way the uncompressed one would look: the image's own BITPIX and
        // NAXISn (from ZBITPIX, ZNAXISn) instead of the storage table's keywords.
        var table = new FitsHeader(cards);
        var image = new List<FitsCard>();
        void Copy(string from, string to)
        {
            var c = cards.FirstOrDefault(x => x.Key == from && x.HasValue);
            if (c == null) return;
            string s = to.PadRight(8) + "= " + c.RawValue!.PadLeft(20) + (c.Comment != null ? " / " + c.Comment : "");
            image.Add(new FitsCard(s.Length > 80 ? s[..80] : s));
        }
        Copy("ZBITPIX", "BITPIX");
        Copy("ZNAXIS", "NAXIS");
        for (int i = 1; i <= (table.GetLong("ZNAXIS") ?? 0) && i <= 999; i++) Copy($"ZNAXIS{i}", $"NAXIS{i}");
        image.AddRange(cards.Where(c => !IsCompressionTableKey(c.Key)
            && !(c.Key == "EXTNAME" && c.StringValue == "COMPRESSED_IMAGE"))); // cfitsio's default name for the storage table
        return new FitsHeader(image);
    }

    public static ImageData ReadImage(FitsHandle f, int index)
    {
        int type = f.MoveTo(index);
        if (type != CFitsio.IMAGE_HDU)
        {
            var info = FitsHduSelector.Describe(f, index);
            throw new UserInputException($"{f.Path}: HDU {index} is a {(type == CFitsio.BINARY_TBL ? "binary" : "ASCII")} table ({info.Shape[0]} rows, {info.Shape[1]} columns), not an image; read it with a table reader or pick an image HDU");
        }
        var (bitpix, naxes) = f.ImageParams();
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            throw new UserInputException($"{f.Path}: HDU {index} has BITPIX = {bitpix}; FITS allows 8, 16, 32, 64, -32, -64");
        if (naxes.Length == 0 || naxes.Any(a => a == 0))
            throw new UserInputException($"{f.Path}: HDU {index} is empty (NAXIS = {naxes.Length}{(naxes.Length > 0 ? ", axes " + string.Join("x", naxes) : "")}); choose an HDU with pixels (FitsFile.List shows them)");
        long n = PixelCount(f.Path, index, naxes);
        long fileBytes = new FileInfo(f.Path).Length;
        long needBytes = n * Math.Abs(bitpix) / 8;
        // Bound allocation by the file size so that a corrupt NAXISn cannot ask for gigabytes. Tile-compressed
        // images and whole-file gzip (.fits.gz, which cfitsio inflates itself) get deflate's ~1000:1 worst case.
        bool packed = f.IsCompressedImage() || IsGzipFile(f.Path);
        if (!packed ? needBytes > fileBytes : needBytes > Math.Max(1L << 26, 1100 * fileBytes))
            throw new UserInputException($"{f.Path}: HDU {index} declares {string.Join("x", naxes)} pixels of BITPIX {bitpix} ({needBytes} bytes) but the file has only {fileBytes} bytes; the file is truncated or its NAXISn keywords are wrong");
        var data = new float[n];
        float nan = float.NaN;
        int status = 0;
        fixed (float* p = data)
            CFitsio.ffgpv(f.Ptr, CFitsio.TFLOAT, 1, n, &nan, p, out _, ref status);
        f.Check(status, $"reading the pixels of HDU {index} ({string.Join("x", naxes)}, BITPIX {bitpix})");
        return new ImageData(data, naxes.Reverse().Select(a => (int)a).ToArray());
    }

    /// <summary>
    /// The pixel count of <paramref name="naxes"/>, refused (before anything is allocated) when an axis is negative or the
    /// product exceeds one array (2^31 - 1); the product is formed by division checks, so no NAXISn value can overflow it.
    /// </summary>
    public static long PixelCount(string path, int index, long[] naxes)
    {
        long n = 1;
        foreach (var a in naxes)
        {
            if (a < 0) throw new UserInputException($"{path}: HDU {index} has a negative axis length (NAXISn = {string.Join(", ", naxes)}); the header is corrupt");
            if (a > 0 && n > int.MaxValue / a)
                throw new UserInputException($"{path}: HDU {index} declares {string.Join("x", naxes)} pixels, more than one array can hold (2^31 - 1); the NAXISn keywords are corrupt or the image must be read in sections");
            n *= a;
        }
        return n;
    }

    /// <summary>True when the file starts with the gzip magic bytes (a gzipped FITS file).</summary>
    public static bool IsGzipFile(string path)
    {
        using var fs = File.OpenRead(path);
        return fs.ReadByte() == 0x1f && fs.ReadByte() == 0x8b;
    }

    public static bool IsCompressionTableKey(string key) =>
        CompressionTableKeys.Contains(key) || CompressionTablePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal) && key.Length > p.Length && char.IsDigit(key[p.Length]));
}
