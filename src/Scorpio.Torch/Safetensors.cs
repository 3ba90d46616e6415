using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Scorpio.Torch;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header
/// length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
/// {string: string}}, then the raw little-endian tensor bytes (offsets relative to the data
/// start). Needs no pickle and no Python, so checkpoints are portable and safe to open.
/// </summary>
public static class Safetensors
{
    /// <summary>Refuses headers above this size (as the reference implementation does), so a corrupt length cannot allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; copied to CPU, C order) and optional string
    /// metadata to <paramref name="path"/> atomically: the file is written to a temporary name in
    /// the same folder, flushed to disk, then renamed, so a crash never leaves a half-written checkpoint.
    /// Tensors are stored in name order; the header is padded with spaces to a multiple of 8 bytes.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var header = BuildHeader(names, tensors, metadata, out var sizes);
        AtomicWrite.Run(path, fs =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            fs.Write(len);
            fs.Write(header);
            using (torch.NoGrad())
                for (int k = 0; k < names.Length; k++)
                {
                    if (sizes[k] == 0) continue;
                    var bytes = tensors[names[k]].ToBytes();
                    if (bytes.LongLength != sizes[k])
                        throw new InvalidOperationException($"safetensors: tensor '{names[k]}' gave {bytes.LongLength} bytes, expected {sizes[k]}");
                    fs.Write(bytes);
                }
        });
    }

    /// <summary>Temporary files <see cref="Save"/> leaves beside <paramref name="path"/> when its process is killed mid-write.</summary>
    public static IEnumerable<string> TemporaryFiles(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, Path.GetFileName(full) + ".tmp*") : [];
    }

    private static byte[] BuildHeader(string[] names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, out long[] sizes)
    {
        sizes = new long[names.Length];
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            for (int k = 0; k < names.Length; k++)
            {
                if (names[k] == "__metadata__") throw new ArgumentException("safetensors: '__metadata__' is reserved and cannot name a tensor");
                var t = tensors[names[k]];
                sizes[k] = t.Numel * t.DType.ElementSize();
                w.WriteStartObject(names[k]);
                w.WriteString("dtype", t.DType.SafetensorsName());
                w.WriteStartArray("shape");
                foreach (var s in t.Shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + sizes[k]);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += sizes[k];
            }
            w.WriteEndObject();
        }
        int pad = (int)((8 - ms.Length % 8) % 8);
        for (int k = 0; k < pad; k++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }

    /// <summary>
    /// Reads a safetensors file into CPU tensors (the caller owns and disposes them) and its
    /// metadata. Every structural problem (truncated file, header length beyond the file, invalid
    /// JSON, unknown dtype, offsets outside the data, overlapping or gapped offsets, shape not
    /// matching the byte length, bool bytes other than 0/1) throws <see cref="InvalidDataException"/>
    /// naming the file and the problem; nothing is allocated for a file that fails validation.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        InvalidDataException Bad(string problem) => new($"{path}: not a valid safetensors file: {problem}");
        var (headerBytes, dataLength) = ReadHeader(fs, path);
        long dataStart = 8 + headerBytes.LongLength;

        var specs = ParseHeader(headerBytes, Bad, out var metadata);
        Validate(specs, dataLength, Bad);

        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var s in specs.OrderBy(s => s.Begin))
            {
                long n = s.End - s.Begin;
                Tensor t;
                if (n == 0) t = torch.Zeros(s.Shape, s.DType);
                else
                {
                    if (n > Array.MaxLength) throw Bad($"tensor '{s.Name}' has {n} bytes, above the {Array.MaxLength}-byte limit of one read");
                    var bytes = new byte[n];
                    fs.Position = dataStart + s.Begin;
                    fs.ReadExactly(bytes);
                    if (s.DType == DType.Bool && bytes.AsSpan().IndexOfAnyExcept((byte)0, (byte)1) >= 0)
                        throw Bad($"tensor '{s.Name}' is BOOL but holds bytes other than 0 and 1");
                    t = torch.FromBytes(bytes, s.DType, s.Shape);
                }
                result[s.Name] = t.DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return (result, metadata);
    }

    /// <summary>
    /// Reads only the header's metadata of a safetensors file, with the same structural checks as <see cref="Load"/> on the
    /// header (the tensor bytes are not read or checksummed).
    /// </summary>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (header, dataLength) = ReadHeader(fs, path);
        InvalidDataException Bad(string problem) => new($"{path}: not a valid safetensors file: {problem}");
        var specs = ParseHeader(header, Bad, out var metadata);
        Validate(specs, dataLength, Bad);
        return metadata;
    }

    // The header bytes and the data length, with the length field checked against the file before anything is allocated.
    private static (byte[] Header, long DataLength) ReadHeader(FileStream fs, string path)
    {
        long fileLength = fs.Length;
        InvalidDataException Bad(string problem) => new($"{path}: not a valid safetensors file: {problem}");
        if (fileLength < 8) throw Bad($"truncated: {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > (ulong)(fileLength - 8))
            throw Bad($"truncated: the header length is {headerLength} bytes but only {fileLength - 8} bytes follow");
        if (headerLength > MaxHeaderBytes) throw Bad($"header of {headerLength} bytes exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength < 2) throw Bad($"header of {headerLength} bytes cannot hold a JSON object");
        var headerBytes = new byte[headerLength];
        fs.ReadExactly(headerBytes);
        return (headerBytes, fileLength - 8 - (long)headerLength);
    }

    private sealed record Spec(string Name, DType DType, long[] Shape, long Begin, long End);

    private static List<Spec> ParseHeader(byte[] header, Func<string, InvalidDataException> bad, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>();
        // The format requires UTF-8; System.Text.Json checks only the structure and throws InvalidOperationException when a
        // name or string with bad bytes is read later, so the encoding is checked first.
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw bad("the header is not valid UTF-8 text");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw bad($"the header is not valid JSON ({e.Message.Split('\n')[0]})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw bad("the header is not a JSON object");
            var specs = new List<Spec>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw bad("__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw bad($"metadata '{m.Name}' is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                specs.Add(ParseSpec(prop, bad));
            }
            var dup = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw bad($"tensor '{dup.Key}' appears twice in the header");
            return specs;
        }
    }

    private static Spec ParseSpec(JsonProperty prop, Func<string, InvalidDataException> bad)
    {
        string name = prop.Name;
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw bad($"entry '{name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw bad($"tensor '{name}' has no dtype string");
        DType dtype;
        try { dtype = DTypeInfo.FromSafetensorsName(dt.GetString()!); }
        catch (NotSupportedException) { throw bad($"tensor '{name}' has unknown dtype '{dt.GetString()}'"); }
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw bad($"tensor '{name}' has no shape array");
        var shape = new List<long>();
        foreach (var e in sh.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var d) || d < 0) throw bad($"tensor '{name}' has a shape entry that is not a non-negative integer");
            shape.Add(d);
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw bad($"tensor '{name}' has no [begin, end] data_offsets");
        long[] be = new long[2];
        int k = 0;
        foreach (var e in off.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var o) || o < 0) throw bad($"tensor '{name}' has a data offset that is not a non-negative integer");
            be[k++] = o;
        }
        if (be[1] < be[0]) throw bad($"tensor '{name}' has data_offsets [{be[0]}, {be[1]}] with end before begin");
        return new Spec(name, dtype, shape.ToArray(), be[0], be[1]);
    }

    private static void Validate(List<Spec> specs, long dataLength, Func<string, InvalidDataException> bad)
    {
        foreach (var s in specs)
        {
            long bytes = s.DType.ElementSize();
            foreach (var d in s.Shape)
            {
                bytes = d == 0 ? 0 : bytes <= long.MaxValue / d ? bytes * d : throw bad($"tensor '{s.Name}' has an impossibly large shape");
            }
            if (bytes != s.End - s.Begin)
                throw bad($"tensor '{s.Name}': shape ({string.Join(",", s.Shape)}) of {s.DType.SafetensorsName()} needs {bytes} bytes but data_offsets [{s.Begin}, {s.End}] give {s.End - s.Begin}");
            if (s.End > dataLength)
                throw bad($"truncated: tensor '{s.Name}' ends at data byte {s.End} but the file holds only {dataLength} data bytes");
        }
        // The tensors must tile the data exactly: no overlaps (aliasing) and no gaps or trailing bytes.
        long expected = 0;
        foreach (var s in specs.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (s.Begin != expected)
                throw bad(s.Begin < expected
                    ? $"tensor '{s.Name}' overlaps the previous tensor (begins at {s.Begin}, previous ends at {expected})"
                    : $"gap in the data before tensor '{s.Name}' (begins at {s.Begin}, previous ends at {expected})");
            expected = s.End;
        }
        if (expected != dataLength)
            throw bad($"{dataLength - expected} bytes after the last tensor are not described by the header");
    }
}
