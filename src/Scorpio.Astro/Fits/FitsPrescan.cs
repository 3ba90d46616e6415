using System.Text;

namespace Scorpio.Astro.Fits;

/// <summary>
/// Reads every HDU header of a file in C# before cfitsio sees it, and rejects values that are known to
/// crash cfitsio 4.x instead of producing an error status (e.g. ZTILEn = 0 in a tile-compressed image
/// divides by zero). Anything it cannot parse is left for cfitsio to report.
/// </summary>
internal static class FitsPrescan
{
    private const int Block = 2880;
    private const int MaxHeaderBlocks = 10_000;

    public static void Check(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long offset = 0;
        var block = new byte[Block];
        for (int hdu = 0; offset < fs.Length && hdu < 100_000; hdu++)
        {
            var cards = new Dictionary<string, string>(StringComparer.Ordinal);
            bool end = false;
            for (int b = 0; b < MaxHeaderBlocks && !end; b++)
            {
                fs.Position = offset;
                if (fs.Read(block, 0, Block) < Block) return; // truncated header: cfitsio reports it
                offset += Block;
                for (int c = 0; c < 36; c++)
                {
                    string card = Encoding.Latin1.GetString(block, c * 80, 80);
                    string key = card[..8].TrimEnd();
                    if (key == "END") { end = true; break; }
                    if (card[8] == '=' && card.Length > 10 && card[10..].TrimStart().StartsWith('('))
                        CheckComplexValue(path, hdu, key, card);
                    if (card[8] == '=' && !cards.ContainsKey(key))
                    {
                        // Like cfitsio's ffpsvc: a non-string value ends at the first blank or '/'.
                        string v = card[10..].TrimStart();
                        if (!v.StartsWith('\''))
                        {
                            int stop = v.IndexOfAny(new[] { ' ', '/' });
                            v = stop >= 0 ? v[..stop] : v;
                        }
                        else
                        {
                            int q = 1; // find the closing quote; '' inside a string is an escaped quote
                            while (q < v.Length)
                            {
                                if (v[q] == '\'' && q + 1 < v.Length && v[q + 1] == '\'') q += 2;
                                else if (v[q] == '\'') break;
                                else q++;
                            }
                            v = v[..Math.Min(q + 1, v.Length)];
                        }
                        cards[key] = v.Trim();
                    }
                }
            }
            if (!end) return;
            if (Get(cards, "ZIMAGE") == "T")
            {
                CheckCompressed(path, hdu, cards);
                FitsGzipTileCheck.Check(path, hdu, fs, offset, cards);
            }
            long pcount = Long(cards, "PCOUNT") ?? 0, gcount = Long(cards, "GCOUNT") ?? 1;
            // cfitsio 4.x computes a negative data size from these and can loop for minutes (issue 18's fuzzing).
            if (pcount < 0 || gcount < 0)
                throw new UserInputException($"{path}: HDU {hdu} has PCOUNT = {pcount}, GCOUNT = {gcount}; FITS requires both >= 0 (the header is corrupt)");
            long? bitpix = Long(cards, "BITPIX"), naxis = Long(cards, "NAXIS");
            if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64) || naxis is null || naxis < 0 || naxis > 999) return;
            long n = naxis == 0 ? 0 : 1;
            for (int i = 1; i <= naxis; i++)
            {
                long? a = Long(cards, $"NAXIS{i}");
                if (a < 0) throw new UserInputException($"{path}: HDU {hdu} has NAXIS{i} = {a}; axis lengths cannot be negative (the header is corrupt)");
                if (a is null) return;
                n = a == 0 ? 0 : n > long.MaxValue / 2 / a.Value ? long.MaxValue / 2 : n * a.Value;
            }
            long bytes = Math.Abs(bitpix!.Value) / 8 * gcount * (pcount + n);
            if (bytes < 0 || bytes > fs.Length) return;
            offset += (bytes + Block - 1) / Block * Block;
        }
    }

    // cfitsio 4.x aborts (fortify "buffer overflow detected") on a complex value "(..." whose closing ')' is
    // missing or only appears inside the comment, so such cards are rejected before cfitsio parses them.
    private static void CheckComplexValue(string path, int hdu, string key, string card)
    {
        string v = card[10..].TrimStart();
        int close = v.IndexOf(')');
        int slash = v.IndexOf('/');
        if (close < 0 || (slash >= 0 && slash < close) || close > 40)
            throw new UserInputException($"{path}: HDU {hdu} keyword {key} has a malformed complex value '{v.TrimEnd()}' (expected '(real, imag)'); fix or remove that card");
    }

    private static void CheckCompressed(string path, int hdu, Dictionary<string, string> cards)
    {
        void Fail(string what) => throw new UserInputException($"{path}: HDU {hdu} is a tile-compressed image with {what}; the file is corrupt (recompress it, e.g. with fpack)");
        long? zbitpix = Long(cards, "ZBITPIX"), znaxis = Long(cards, "ZNAXIS");
        if (zbitpix is not (8 or 16 or 32 or 64 or -32 or -64)) Fail($"ZBITPIX = {Get(cards, "ZBITPIX") ?? "missing"}");
        if (znaxis is null || znaxis < 1 || znaxis > 999) Fail($"ZNAXIS = {Get(cards, "ZNAXIS") ?? "missing"}");
        for (int i = 1; i <= znaxis; i++)
        {
            long? len = Long(cards, $"ZNAXIS{i}");
            if (len is null || len < 1) Fail($"ZNAXIS{i} = {Get(cards, $"ZNAXIS{i}") ?? "missing"}");
            if (cards.ContainsKey($"ZTILE{i}"))
            {
                long? t = Long(cards, $"ZTILE{i}");
                if (t is null || t < 1 || t > len) Fail($"ZTILE{i} = {Get(cards, $"ZTILE{i}")} (must be 1..ZNAXIS{i} = {len})");
            }
        }
        for (int i = 1; i <= 8; i++)
        {
            string? name = Get(cards, $"ZNAME{i}");
            if (name == null) continue;
            long? v = Long(cards, $"ZVAL{i}");
            if (name.Contains("BLOCKSIZE") && v is not (16 or 32)) Fail($"BLOCKSIZE = {Get(cards, $"ZVAL{i}")} (must be 16 or 32)");
            if (name.Contains("BYTEPIX") && v is not (1 or 2 or 4 or 8)) Fail($"BYTEPIX = {Get(cards, $"ZVAL{i}")} (must be 1, 2, 4 or 8)");
        }
    }

    private static string? Get(Dictionary<string, string> cards, string key) => cards.TryGetValue(key, out var v) ? v : null;

    private static long? Long(Dictionary<string, string> cards, string key) =>
        cards.TryGetValue(key, out var v) && long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long l) ? l : null;
}
