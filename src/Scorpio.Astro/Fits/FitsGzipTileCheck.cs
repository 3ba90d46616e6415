using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Scorpio.Astro.Fits;

/// <summary>
/// Inflates every GZIP-compressed tile of a tile-compressed image in managed code before cfitsio sees it:
/// cfitsio 4.x loops forever on some corrupt gzip streams (its inflate buffer keeps growing), so a damaged
/// tile must be rejected here. .NET's inflater stops with an exception instead. Cost: one extra
/// decompression of GZIP tiles (RICE, the common fpack default, is not affected).
/// </summary>
internal static partial class FitsGzipTileCheck
{
    [GeneratedRegex(@"^\s*(\d*)\s*([LXBIJKAEDCMPQ])", RegexOptions.IgnoreCase)]
    private static partial Regex TForm();

    public static void Check(string path, int hdu, FileStream fs, long dataStart, IReadOnlyDictionary<string, string> cards)
    {
        void Fail(string what) => throw new UserInputException($"{path}: HDU {hdu} is a tile-compressed image whose {what}; the file is corrupt (recompress it, e.g. with fpack)");
        string cmp = Str(cards, "ZCMPTYPE") ?? "";
        long rowBytes = Long(cards, "NAXIS1") ?? -1, rows = Long(cards, "NAXIS2") ?? -1, nfields = Long(cards, "TFIELDS") ?? -1;
        if (rowBytes < 0 || rows < 0 || nfields < 0 || nfields > 999) return; // cfitsio reports these itself
        // Every size and offset below is bounded by the file's length first, so no header value can overflow the arithmetic.
        long length = fs.Length;
        if (rowBytes > length || rows > length || rowBytes * rows > length) return; // the table does not fit: cfitsio reports it
        long theap = Long(cards, "THEAP") ?? rowBytes * rows;
        if (theap < 0 || theap > length) Fail($"THEAP = {theap} lies outside the file");
        long heap = dataStart + theap;
        long tileMax = 8;
        for (int i = 1; i <= (Long(cards, "ZNAXIS") ?? 0) && i <= 999; i++)
            tileMax = Math.Min(long.MaxValue / (1L << 32), tileMax * Math.Clamp(Long(cards, $"ZTILE{i}") ?? (i == 1 ? Long(cards, "ZNAXIS1") ?? 1 : 1), 1, 1L << 31));
        long colOffset = 0;
        for (int c = 1; c <= nfields; c++)
        {
            string form = Str(cards, $"TFORM{c}") ?? "";
            var m = TForm().Match(form);
            if (!m.Success) return;
            long repeat = 1;
            if (m.Groups[1].Value.Length > 0 && (!long.TryParse(m.Groups[1].Value, out repeat) || repeat > length)) return; // cfitsio reports an impossible TFORMn
            char code = char.ToUpperInvariant(m.Groups[2].Value[0]);
            string name = (Str(cards, $"TTYPE{c}") ?? "").ToUpperInvariant();
            bool gzip = name == "GZIP_COMPRESSED_DATA" || (name == "COMPRESSED_DATA" && cmp.StartsWith("GZIP", StringComparison.OrdinalIgnoreCase));
            if (gzip && code is 'P' or 'Q')
            {
                int descSize = code == 'P' ? 8 : 16;
                var desc = new byte[descSize];
                for (long r = 0; r < rows; r++)
                {
                    long at = dataStart + r * rowBytes + colOffset;
                    if (colOffset > rowBytes || at > length) return; // columns wider than the row: cfitsio reports it
                    fs.Position = at;
                    if (fs.Read(desc, 0, descSize) < descSize) return; // truncated: cfitsio reports it
                    long count = code == 'P' ? BinaryPrimitives.ReadInt32BigEndian(desc) : BinaryPrimitives.ReadInt64BigEndian(desc);
                    long offset = code == 'P' ? BinaryPrimitives.ReadInt32BigEndian(desc.AsSpan(4)) : BinaryPrimitives.ReadInt64BigEndian(desc.AsSpan(8));
                    if (count == 0) continue;
                    if (count < 0 || offset < 0 || count > length || offset > length || heap + offset + count > length) Fail($"tile {r + 1} points outside the file (length {count} at heap offset {offset})");
                    var buf = new byte[count];
                    fs.Position = heap + offset;
                    fs.ReadExactly(buf);
                    if (!Inflates(buf, tileMax)) Fail($"GZIP tile {r + 1} is not one complete gzip stream (checked CRC and length) of at most {tileMax} bytes");
                }
            }
            colOffset += Width(code, repeat);
        }
    }

    // .NET's GZipStream quietly accepts a truncated stream, so the gzip trailer (CRC-32 and length of the
    // uncompressed bytes, little endian) is checked against what actually came out.
    private static bool Inflates(byte[] gz, long max)
    {
        if (gz.Length < 18) return false; // 10-byte header + 8-byte trailer at least
        try
        {
            using var z = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            var chunk = new byte[8192];
            long total = 0;
            uint crc = 0xFFFFFFFFu;
            int n;
            while ((n = z.Read(chunk, 0, chunk.Length)) > 0)
            {
                if ((total += n) > max) return false;
                crc = Imaging.Crc32.Update(crc, chunk.AsSpan(0, n));
            }
            uint wantCrc = BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8));
            uint wantSize = BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4));
            return (crc ^ 0xFFFFFFFFu) == wantCrc && (uint)total == wantSize;
        }
        catch (InvalidDataException) { return false; }
    }

    private static long Width(char code, long repeat) => code switch
    {
        'X' => (repeat + 7) / 8,
        'L' or 'B' or 'A' => repeat,
        'I' => 2 * repeat,
        'J' or 'E' => 4 * repeat,
        'K' or 'D' or 'C' => 8 * repeat,
        'M' => 16 * repeat,
        'P' => 8 * repeat,
        _ => 16 * repeat, // Q
    };

    private static string? Str(IReadOnlyDictionary<string, string> cards, string key) =>
        cards.TryGetValue(key, out var v) ? v.Trim('\'', ' ') : null;

    private static long? Long(IReadOnlyDictionary<string, string> cards, string key) =>
        cards.TryGetValue(key, out var v) && long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long l) ? l : null;
}
