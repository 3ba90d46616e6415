namespace Scorpio.Astro.Fits;

/// <summary>Describes HDUs and picks the one a caller asked for (by index, by EXTNAME[,EXTVER], or the first image).</summary>
internal static class FitsHduSelector
{
    public static FitsHduInfo Describe(FitsHandle f, int index)
    {
        int type = f.MoveTo(index);
        var header = new FitsHeader(f.ReadCards());
        string? extName = SafeString(header, "EXTNAME");
        if (type == CFitsio.IMAGE_HDU)
        {
            var (bitpix, naxes) = f.ImageParams();
            bool compressed = f.IsCompressedImage();
            // An axis no array can hold (e.g. NAXIS3 = 2^62) is a corrupt header, not a shape to report.
            FitsImageReader.PixelCount(f.Path, index, naxes);
            var shape = naxes.Reverse().Select(a => (int)a).ToArray();
            bool empty = shape.Length == 0 || shape.Any(s => s == 0);
            return new FitsHduInfo(index, extName, bitpix, empty ? Array.Empty<int>() : shape, empty ? FitsHduType.Empty : FitsHduType.Image, compressed);
        }
        int status = 0;
        CFitsio.ffgnrwll(f.Ptr, out long rows, ref status);
        CFitsio.ffgncl(f.Ptr, out int cols, ref status);
        f.Check(status, $"reading the table size of HDU {index}");
        return new FitsHduInfo(index, extName, 8, new[] { (int)Math.Min(rows, int.MaxValue), cols }, FitsHduType.Table);
    }

    /// <summary>The 0-based index of the HDU to read; throws with the list of HDUs when the request cannot be met.</summary>
    public static int Select(FitsHandle f, int? hdu, string? extName)
    {
        int n = f.HduCount();
        if (hdu is int h)
        {
            if (h < 0 || h >= n) throw new UserInputException($"{f.Path}: HDU {h} does not exist (the file has {n} HDUs, 0..{n - 1})");
            if (extName != null)
            {
                var info = Describe(f, h);
                if (!string.Equals(info.ExtName, extName, StringComparison.OrdinalIgnoreCase))
                    throw new UserInputException($"{f.Path}: HDU {h} has EXTNAME '{info.ExtName}', not '{extName}'; give only one of hdu and extName");
            }
            return h;
        }
        var infos = Enumerable.Range(0, n).Select(i => Describe(f, i)).ToList();
        if (extName != null)
        {
            string name = extName;
            long? ver = null;
            int comma = extName.IndexOf(',');
            if (comma >= 0)
            {
                name = extName[..comma].Trim();
                if (!long.TryParse(extName[(comma + 1)..].Trim(), out long v))
                    throw new UserInputException($"{f.Path}: extension '{extName}' is not NAME or NAME,EXTVER with an integer EXTVER");
                ver = v;
            }
            for (int i = 0; i < n; i++)
            {
                if (!string.Equals(infos[i].ExtName, name, StringComparison.OrdinalIgnoreCase)) continue;
                if (ver != null)
                {
                    f.MoveTo(i);
                    var hv = new FitsHeader(f.ReadCards());
                    long extver = SafeLong(hv, "EXTVER") ?? 1;
                    if (extver != ver) continue;
                }
                return i;
            }
            throw new UserInputException($"{f.Path}: no HDU with EXTNAME '{extName}'; the file has: {Summary(infos)}");
        }
        foreach (var info in infos)
            if (info.Type == FitsHduType.Image) return info.Index;
        throw new UserInputException($"{f.Path}: no HDU holds image data ({Summary(infos)}); tables need a table reader, and empty HDUs have no pixels");
    }

    public static string Summary(IEnumerable<FitsHduInfo> infos) => string.Join("; ", infos.Select(i => i.ToString()));

    private static string? SafeString(FitsHeader h, string key)
    {
        var s = h.GetString(key);
        return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }

    private static long? SafeLong(FitsHeader h, string key)
    {
        try { return h.GetLong(key); } catch (UserInputException) { return null; }
    }
}
