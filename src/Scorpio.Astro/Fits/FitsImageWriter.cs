using System.Text;
using System.Text.RegularExpressions;
using Scorpio.Astro.DataTools;

namespace Scorpio.Astro.Fits;

/// <summary>Writes image HDUs through cfitsio into a temporary file that is renamed over the target when complete.</summary>
internal static unsafe partial class FitsImageWriter
{
    // Recomputed from the data on every write, so never copied from a caller's header.
    private static readonly HashSet<string> Structural = new(StringComparer.Ordinal)
    {
        "SIMPLE", "XTENSION", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "GROUPS", "BZERO", "BSCALE", "BLANK",
        "END", "CHECKSUM", "DATASUM",
    };

    [GeneratedRegex(@"^(?<path>.*?)(?<suffix>\[compress[^\]]*\])$", RegexOptions.IgnoreCase)]
    private static partial Regex CompressSuffix();

    public static void Write(string path, IReadOnlyList<(ImageData Image, FitsHeader? Header, string? ExtName, int Bitpix)> hdus)
    {
        if (hdus.Count == 0) throw new UserInputException($"{path}: nothing to write (no HDUs given)");
        CFitsio.EnsureLoaded();
        string target = path, suffix = "";
        var m = CompressSuffix().Match(path);
        if (m.Success) { target = m.Groups["path"].Value; suffix = m.Groups["suffix"].Value; }
        string full = Path.GetFullPath(target);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new UserInputException($"{target}: folder {dir} does not exist; create it first");
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            lock (CFitsio.Gate)
            {
                var f = FitsHandle.Create(tmp + suffix, suffix.Length > 0, target);
                try
                {
                    for (int i = 0; i < hdus.Count; i++)
                        WriteHdu(f, i, hdus[i].Image, hdus[i].Header, hdus[i].ExtName, hdus[i].Bitpix);
                    f.CloseChecked();
                }
                finally { f.Dispose(); }
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UserInputException)
        {
            // cfitsio reports a full disk as a write or flush error status: the free space tells.
            AtomicFile.TryDelete(tmp);
            DiskFull.Rethrow(target, e);
            if (e is UserInputException && DiskFull.IsNearlyFull(dir)) throw DiskFull.Error(target, e);
            throw;
        }
        finally
        {
            AtomicFile.TryDelete(tmp);
        }
    }


    public static bool IsStructural(string key) =>
        Structural.Contains(key) || (key.StartsWith("NAXIS", StringComparison.Ordinal) && key.Length > 5 && key[5..].All(char.IsDigit))
        || FitsImageReader.IsCompressionTableKey(key);

    private static void WriteHdu(FitsHandle f, int index, ImageData image, FitsHeader? header, string? extName, int bitpix)
    {
        if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            throw new UserInputException($"{f.Path}: BITPIX {bitpix} is not a FITS pixel type; use 8, 16, 32, 64, -32 or -64");
        header = header?.Clone() ?? new FitsHeader();
        if (extName != null) header.Set("EXTNAME", extName);
        bool empty = image.Length == 0;
        int status = 0;
        var naxes = empty ? Array.Empty<long>() : image.Shape.Reverse().Select(s => (long)s).ToArray();
        fixed (long* ax = naxes)
            CFitsio.ffcrimll(f.Ptr, empty ? 8 : bitpix, naxes.Length, ax, ref status);
        f.Check(status, $"creating HDU {index} ({string.Join("x", naxes)}, BITPIX {bitpix})");

        long[]? raw = null;
        if (bitpix > 0 && !empty)
        {
            double bzero = header.GetDouble("BZERO") ?? 0;
            double bscale = header.GetDouble("BSCALE") ?? 1;
            if (bscale == 0) throw new UserInputException($"{f.Path}: header of HDU {index} has BSCALE = 0; BSCALE must be non-zero");
            raw = ToStored(f.Path, index, image.Data, bitpix, bzero, bscale, header.GetLong("BLANK"), out long? blank);
            if (bzero != 0) PutCard(f, FitsCard.Create("BZERO", bzero, "physical = BZERO + BSCALE * stored"));
            if (bscale != 1) PutCard(f, FitsCard.Create("BSCALE", bscale, "physical = BZERO + BSCALE * stored"));
            if (blank is long b) PutCard(f, FitsCard.Create("BLANK", b, "stored value of undefined (NaN) pixels"));
        }
        foreach (var c in header.Cards)
            if (!IsStructural(c.Key) && !IsStandardComment(c)) PutCard(f, c);

        if (empty) return;
        CFitsio.ffrdef(f.Ptr, ref status);
        f.Check(status, $"finishing the header of HDU {index}");
        if (bitpix == -32)
        {
            fixed (float* p = image.Data) CFitsio.ffppr(f.Ptr, CFitsio.TFLOAT, 1, image.Length, p, ref status);
        }
        else if (bitpix == -64)
        {
            var d = Array.ConvertAll(image.Data, v => (double)v);
            fixed (double* p = d) CFitsio.ffppr(f.Ptr, CFitsio.TDOUBLE, 1, d.Length, p, ref status);
        }
        else
        {
            // Scaling is done here (not by cfitsio) so that NaN → BLANK and overflow are reported per pixel.
            CFitsio.ffpscl(f.Ptr, 1.0, 0.0, ref status);
            f.Check(status, "turning off cfitsio scaling");
            raw ??= Array.Empty<long>();
            // The native type of each BITPIX, because cfitsio's tile compressor refuses TLONGLONG for smaller types.
            switch (bitpix)
            {
                case 8:
                    var b = Array.ConvertAll(raw, v => (byte)v);
                    fixed (byte* p = b) CFitsio.ffppr(f.Ptr, CFitsio.TBYTE, 1, b.Length, p, ref status);
                    break;
                case 16:
                    var s16 = Array.ConvertAll(raw, v => (short)v);
                    fixed (short* p = s16) CFitsio.ffppr(f.Ptr, CFitsio.TSHORT, 1, s16.Length, p, ref status);
                    break;
                case 32:
                    var s32 = Array.ConvertAll(raw, v => (int)v);
                    fixed (int* p = s32) CFitsio.ffppr(f.Ptr, CFitsio.TINT, 1, s32.Length, p, ref status);
                    break;
                default:
                    fixed (long* p = raw) CFitsio.ffppr(f.Ptr, CFitsio.TLONGLONG, 1, raw.Length, p, ref status);
                    break;
            }
        }
        f.Check(status, $"writing the pixels of HDU {index}");
    }

    /// <summary>The two COMMENT cards cfitsio adds to every primary header; copying them would duplicate them.</summary>
    public static bool IsStandardComment(FitsCard c) =>
        c.Key == "COMMENT" && c.Comment != null &&
        (c.Comment.TrimStart().StartsWith("FITS (Flexible Image Transport System) format is defined in 'Astronomy", StringComparison.Ordinal)
         || c.Comment.TrimStart().StartsWith("and Astrophysics', volume 376, page 359; bibcode: 2001A&A...376..359H", StringComparison.Ordinal));

    /// <summary>
    /// Stored integers round((v − BZERO)/BSCALE), range-checked. NaN pixels get BLANK: the header's BLANK when
    /// given (it must not coincide with a real pixel), else the first of the type's minimum, maximum, minimum+1…
    /// that no real pixel uses (e.g. uint16 data with BZERO = 32768 containing 0 cannot use −32768).
    /// <paramref name="blank"/> is null when there is no NaN.
    /// </summary>
    private static long[] ToStored(string path, int index, float[] data, int bitpix, double bzero, double bscale, long? headerBlank, out long? blank)
    {
        (double lo, double hi) = bitpix switch
        {
            8 => (0.0, 255.0),
            16 => (short.MinValue, short.MaxValue),
            32 => (int.MinValue, (double)int.MaxValue),
            _ => (-9.2233720368547758e18, 9.2233720368547748e18),
        };
        var raw = new long[data.Length];
        bool anyNaN = false;
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            if (float.IsNaN(v)) { anyNaN = true; continue; }
            double s = Math.Round((v - bzero) / bscale, MidpointRounding.AwayFromZero);
            if (!(s >= lo && s <= hi))
                throw new UserInputException($"{path}: HDU {index} pixel {i} = {v} does not fit BITPIX {bitpix} with BZERO = {bzero}, BSCALE = {bscale} (stored value {s} outside {lo}..{hi}); set BZERO/BSCALE in the header or write with bitpix -32");
            raw[i] = (long)s;
        }
        blank = null;
        if (!anyNaN) return raw;
        var used = new HashSet<long>();
        for (int i = 0; i < data.Length; i++)
            if (!float.IsNaN(data[i])) used.Add(raw[i]);
        if (headerBlank is long hb)
        {
            if (hb < lo || hb > hi) throw new UserInputException($"{path}: header BLANK = {hb} is outside the BITPIX {bitpix} range {lo}..{hi}");
            if (used.Contains(hb)) throw new UserInputException($"{path}: header BLANK = {hb} is also the stored value of real pixels, which would read back as NaN; remove BLANK from the header to let a free value be chosen");
            blank = hb;
        }
        else
        {
            long min = (long)lo, max = bitpix == 64 ? long.MaxValue : (long)hi;
            for (long k = 0; blank == null && k <= used.Count; k++)
            {
                if (!used.Contains(min + k)) blank = min + k;
                else if (!used.Contains(max - k)) blank = max - k;
            }
        }
        for (int i = 0; i < data.Length; i++)
            if (float.IsNaN(data[i])) raw[i] = blank!.Value;
        return raw;
    }

    private static void PutCard(FitsHandle f, FitsCard c)
    {
        int status = 0;
        CFitsio.ffprec(f.Ptr, Encoding.ASCII.GetBytes(c.Image.TrimEnd() + "\0"), ref status);
        f.Check(status, $"writing header card '{c.Image.TrimEnd()}'");
    }
}
