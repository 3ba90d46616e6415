using System.Text;
using System.Text.Json.Nodes;

namespace Scorpio.Fuzz;

/// <summary>
/// Seeded mutations of input files: byte-level edits (bit flips, truncation, insertion, overwrites), edits of FITS header card
/// values, of JSON values (numbers driven to extremes, strings, types, keys removed or added) and of a safetensors header
/// (its JSON, its offsets and shapes, its length field, bytes that are not UTF-8). Each takes the case's own
/// <see cref="Random"/>, so case k of a campaign is the same whatever else runs.
/// </summary>
public static class Mutator
{
    /// <summary>Bit flips, truncation, insertions, digit edits in the first two header blocks, or random overwrites.</summary>
    public static byte[] Bytes(byte[] src, Random rng, int from = 0)
    {
        var b = new List<byte>(src);
        int kind = rng.Next(5);
        int edits = 1 + rng.Next(4);
        from = Math.Min(from, Math.Max(0, b.Count - 1));
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            switch (kind)
            {
                case 0:
                    int i = from + rng.Next(b.Count - from);
                    b[i] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    int cut = from + rng.Next(b.Count - from + 1);
                    b.RemoveRange(cut, b.Count - cut);
                    break;
                case 2:
                    int at = from + rng.Next(b.Count - from + 1);
                    var ins = new byte[1 + rng.Next(8)];
                    rng.NextBytes(ins);
                    b.InsertRange(at, ins);
                    break;
                case 3:
                    int head = Math.Min(b.Count, 2880 * 2);
                    for (int tries = 0; tries < 50 && head > from; tries++)
                    {
                        int j = from + rng.Next(head - from);
                        if (b[j] is >= (byte)'0' and <= (byte)'9') { b[j] = (byte)"0123456789-9.E "[rng.Next(15)]; break; }
                    }
                    break;
                default:
                    if (b.Count <= from) break;
                    int k = from + rng.Next(b.Count - from);
                    int len = Math.Min(b.Count - k, 1 + rng.Next(16));
                    for (int q = 0; q < len; q++) b[k + q] = (byte)rng.Next(256);
                    break;
            }
        }
        return b.ToArray();
    }

    private static readonly string[] ExtremeNumbers =
    [
        "0", "-1", "1", "2", "-2147483648", "2147483647", "2147483648", "4294967296", "9223372036854775807", "-9223372036854775808",
        "4611686018427387904", "1099511627776", "1e308", "-1e308", "1e-320", "1e999", "NaN", "Infinity", "-0", "0.5", "3.0", "65536", "999",
    ];

    /// <summary>A value a field should never hold: an extreme or odd number, or a string of a few odd characters.</summary>
    public static string OddValue(Random rng) => rng.Next(4) switch
    {
        0 => "'" + new string(Enumerable.Range(0, rng.Next(1, 12)).Select(_ => (char)rng.Next(32, 127)).ToArray()).Replace("'", "''") + "'",
        1 => (rng.NextDouble() < 0.5 ? "-" : "") + rng.Next(0, 100000).ToString(),
        _ => ExtremeNumbers[rng.Next(ExtremeNumbers.Length)],
    };

    /// <summary>Rewrites the value of one or more header cards (BITPIX, NAXISn, Z keywords most often) in the first HDU headers.</summary>
    public static byte[] FitsCards(byte[] src, Random rng)
    {
        var b = (byte[])src.Clone();
        int cards = Math.Min(b.Length, 2880 * 4) / 80;
        if (cards == 0) return Bytes(src, rng);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            // Prefer structural keywords: they drive sizes and allocations.
            int pick = -1;
            for (int tries = 0; tries < 20 && pick < 0; tries++)
            {
                int c = rng.Next(cards);
                string key = Encoding.Latin1.GetString(b, c * 80, 8).TrimEnd();
                bool structural = key.StartsWith("NAXIS") || key.StartsWith("ZNAXIS") || key.StartsWith("ZTILE") || key is "BITPIX" or "ZBITPIX" or "PCOUNT" or "GCOUNT" or "THEAP" or "TFIELDS"
                    || key.StartsWith("TFORM") || key is "BZERO" or "BSCALE" or "BLANK" or "ZCMPTYPE" or "ZVAL1" or "ZVAL2" or "ZQUANTIZ" || key == "END" || key == "XTENSION";
                if (structural || tries > 15) pick = c;
            }
            int at = pick * 80;
            if (b[at + 8] != '=' || rng.Next(8) == 0)
            {
                // Corrupt the keyword itself (or END, or a card without a value).
                for (int q = 0; q < 1 + rng.Next(3); q++) b[at + rng.Next(80)] = (byte)rng.Next(256);
                continue;
            }
            string value = OddValue(rng);
            string card = (Encoding.Latin1.GetString(b, at, 10) + value.PadLeft(20)).PadRight(80)[..80];
            Encoding.Latin1.GetBytes(card, 0, 80, b, at);
        }
        return b;
    }

    /// <summary>Edits a JSON document: a value replaced (extreme number, string, null, object, array), a key removed or added, or the text cut.</summary>
    public static byte[] Json(byte[] src, Random rng)
    {
        if (rng.Next(6) == 0) return Bytes(src, rng);
        JsonNode? root;
        try { root = JsonNode.Parse(src); }
        catch (Exception) { return Bytes(src, rng); }
        if (root is null) return Bytes(src, rng);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            if (nodes.Count == 0) break;
            var target = nodes[rng.Next(nodes.Count)];
            var parent = target.Parent;
            if (parent is null) continue;
            JsonNode? replacement = rng.Next(8) switch
            {
                0 => null,
                1 => JsonValue.Create(new string((char)rng.Next(32, 0x250), rng.Next(0, 6))),
                2 => new JsonArray(JsonValue.Create(rng.Next(-3, 5)), JsonValue.Create(1e300)),
                3 => new JsonObject { ["x"] = 1 },
                4 => JsonValue.Create(rng.NextDouble() < 0.5),
                _ => JsonNode.Parse(ExtremeNumbers[rng.Next(ExtremeNumbers.Length)] switch { "NaN" => "\"NaN\"", "Infinity" => "\"Infinity\"", var n => n }),
            };
            if (parent is JsonObject obj)
            {
                string key = obj.First(kv => ReferenceEquals(kv.Value, target)).Key;
                switch (rng.Next(5))
                {
                    case 0: obj.Remove(key); break;
                    case 1: obj["k" + rng.Next(100)] = replacement; break;
                    default: obj[key] = replacement; break;
                }
            }
            else if (parent is JsonArray arr)
            {
                int index = arr.IndexOf(target);
                if (rng.Next(4) == 0) arr.RemoveAt(index);
                else arr[index] = replacement;
            }
        }
        var text = Encoding.UTF8.GetBytes(root.ToJsonString());
        // JSON's named literals are what a hand-edited file might hold; the serializer quotes them.
        var s = Encoding.UTF8.GetString(text).Replace("\"NaN\"", "NaN").Replace("\"Infinity\"", "Infinity");
        return Encoding.UTF8.GetBytes(s);
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, v) in o) { if (v is not null) Collect(v, into); }
        else if (node is JsonArray a) foreach (var v in a) { if (v is not null) Collect(v, into); }
    }

    /// <summary>
    /// Edits a safetensors file's header: its JSON (through <see cref="Json"/>, length field rewritten to match or not), a number
    /// among the offsets and shapes (<paramref name="offsets"/>), bytes that are not UTF-8, or the length field itself.
    /// </summary>
    public static byte[] Safetensors(byte[] src, Random rng, bool offsets)
    {
        if (src.Length < 8) return Bytes(src, rng);
        ulong n = BitConverter.ToUInt64(src, 0);
        if (n > (ulong)(src.Length - 8)) return Bytes(src, rng);
        var header = src.AsSpan(8, (int)n).ToArray();
        var data = src.AsSpan(8 + (int)n).ToArray();
        byte[] newHeader;
        if (offsets)
        {
            var text = Encoding.UTF8.GetString(header);
            var numbers = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=[\[,])\s*-?\d+(?=\s*[,\]])").ToList();
            if (numbers.Count == 0) return Bytes(src, rng);
            int edits = 1 + rng.Next(2);
            for (int e = 0; e < edits; e++)
            {
                var m = numbers[rng.Next(numbers.Count)];
                long v = long.Parse(m.Value.Trim());
                string nv = rng.Next(4) switch
                {
                    0 => (v + rng.Next(-8, 9)).ToString(),
                    1 => (v * 2).ToString(),
                    _ => ExtremeNumbers[rng.Next(11)],
                };
                text = text[..m.Index] + nv.PadLeft(m.Length) + text[(m.Index + m.Length)..];
                numbers = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=[\[,])\s*-?\d+(?=\s*[,\]])").ToList();
                if (numbers.Count == 0) break;
            }
            newHeader = Encoding.UTF8.GetBytes(text);
        }
        else
        {
            switch (rng.Next(4))
            {
                case 0:
                    newHeader = (byte[])header.Clone();
                    for (int q = 0; q < 1 + rng.Next(3); q++) newHeader[rng.Next(newHeader.Length)] = (byte)(0x80 + rng.Next(128)); // not UTF-8 on its own
                    break;
                case 1:
                    var raw = (byte[])src.Clone();
                    BitConverter.GetBytes(rng.Next(3) switch { 0 => n + (ulong)rng.Next(1, 64), 1 => ulong.MaxValue - (ulong)rng.Next(100), _ => (ulong)rng.NextInt64() }).CopyTo(raw, 0);
                    return raw;
                default:
                    newHeader = Json(header, rng);
                    break;
            }
        }
        bool fixLength = rng.Next(5) != 0;
        var result = new byte[8 + newHeader.Length + data.Length];
        BitConverter.GetBytes(fixLength ? (ulong)newHeader.Length : n).CopyTo(result, 0);
        newHeader.CopyTo(result, 8);
        data.CopyTo(result, 8 + newHeader.Length);
        return result;
    }

    /// <summary>
    /// A torch.save ZIP with one record damaged while the container stays valid (so the unpickler and the storage reader see
    /// the damage, not only the ZIP reader): the pickle's opcodes, a storage's length, the byte order, or a record dropped;
    /// one case in four damages the raw bytes of the archive instead.
    /// </summary>
    public static byte[] Pt(byte[] src, Random rng)
    {
        if (rng.Next(4) == 0) return Bytes(src, rng);
        var records = new List<(string Name, byte[] Data)>();
        using (var zin = new System.IO.Compression.ZipArchive(new MemoryStream(src), System.IO.Compression.ZipArchiveMode.Read))
            foreach (var e in zin.Entries)
            {
                using var s = e.Open();
                var ms = new MemoryStream();
                s.CopyTo(ms);
                records.Add((e.FullName, ms.ToArray()));
            }
        int pickle = records.FindIndex(r => r.Name.EndsWith("data.pkl", StringComparison.Ordinal));
        switch (rng.Next(5))
        {
            case 0 or 1:
                records[pickle] = (records[pickle].Name, Bytes(records[pickle].Data, rng));
                break;
            case 2:
                var storages = records.Select((r, i) => (r, i)).Where(x => x.r.Name.Contains("/data/", StringComparison.Ordinal)).ToList();
                if (storages.Count > 0)
                {
                    var (r, i) = storages[rng.Next(storages.Count)];
                    records[i] = (r.Name, r.Data[..rng.Next(r.Data.Length + 1)]);
                }
                break;
            case 3:
                int bo = records.FindIndex(r => r.Name.EndsWith("byteorder", StringComparison.Ordinal));
                if (bo >= 0) records[bo] = (records[bo].Name, System.Text.Encoding.ASCII.GetBytes(rng.Next(2) == 0 ? "big" : OddValue(rng)));
                break;
            default:
                records.RemoveAt(rng.Next(records.Count));
                break;
        }
        var output = new MemoryStream();
        using (var zout = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in records)
            {
                using var s = zout.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
        return output.ToArray();
    }
}
