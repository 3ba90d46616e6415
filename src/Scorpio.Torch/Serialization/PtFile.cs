using System.IO.Compression;
using System.Text;

namespace Scorpio.Torch.Serialization;

/// <summary>
/// Reads and writes PyTorch's .pt files (torch.save's ZIP format, PyTorch >= 1.6) holding state dicts, without Python
/// and without running code: the archive's data.pkl is read by <see cref="RestrictedUnpickler"/>, which accepts only
/// the opcodes and globals a state dict needs (OrderedDict, the tensor rebuild functions, typed storages) and refuses
/// anything else, as PyTorch's <c>weights_only=True</c> loader does. Every storage is checked against its claimed
/// element count and every tensor view against its storage before a byte is copied. Errors are
/// <see cref="InvalidDataException"/>s whose message names the file and what was refused.
/// </summary>
public static class PtFile
{
    /// <summary>Largest data.pkl read (a state dict's pickle is about 200 bytes per tensor).</summary>
    public const long MaxPickleBytes = 64L << 20;

    /// <summary>The tensors of <paramref name="path"/> (CPU, the file's dtypes); the caller disposes them.</summary>
    public static PtContents Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{path}: file not found", path);
        long fileLength = new FileInfo(full).Length;
        var magic = new byte[4];
        using (var fs = File.OpenRead(full)) fs.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (magic[0] == 0x80 && magic[1] == 0x02)
            throw Bad(path, "it is in PyTorch's legacy (pre-1.6) format, which needs Python to read; re-save it with a current torch.save");
        if (magic is not [0x50, 0x4b, 0x03, 0x04])
            throw Bad(path, "it is not a PyTorch .pt file (no ZIP signature)");
        ZipArchive zip;
        try { zip = new ZipArchive(File.OpenRead(full), ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw Bad(path, $"its ZIP container is damaged or truncated ({e.Message})"); }
        using (zip)
        {
            // ZipArchive reads its central directory lazily, on the first use of Entries.
            List<ZipArchiveEntry> entries;
            try { entries = zip.Entries.ToList(); }
            catch (InvalidDataException e) { throw Bad(path, $"its ZIP container is damaged or truncated ({e.Message})"); }
            var pickles = entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1) throw Bad(path, pickles.Count == 0 ? "the archive has no data.pkl (not written by torch.save)" : "the archive has several data.pkl records");
            string prefix = pickles[0].FullName[..^"data.pkl".Length];
            var byteOrder = zip.GetEntry(prefix + "byteorder");
            if (byteOrder is not null && Encoding.ASCII.GetString(ReadEntry(path, byteOrder, 16, fileLength)).Trim() != "little")
                throw Bad(path, "its tensors are stored big-endian; re-save it on a little-endian machine");
            if (pickles[0].Length > MaxPickleBytes) throw Bad(path, $"{pickles[0].FullName} claims {pickles[0].Length} bytes, more than a state dict's pickle ({MaxPickleBytes})");
            object? root;
            try { root = RestrictedUnpickler.Load(ReadEntry(path, pickles[0], pickles[0].Length, fileLength)); }
            catch (PickleRefusedException e) { throw Bad(path, $"refused {pickles[0].FullName}: {e.Message}; nothing was executed"); }
            if (root is not PickleDict dict) throw Bad(path, $"it holds a {root?.GetType().Name ?? "None"}, not a state dict (a dict of tensors)");
            var storages = new Dictionary<string, byte[]>();
            var tensors = new List<KeyValuePair<string, Tensor>>();
            var other = new List<string>();
            try
            {
                Flatten(dict, "", (name, r) => tensors.Add(new(name, Materialise(path, zip, prefix, r, storages, fileLength))), other);
            }
            catch
            {
                foreach (var t in tensors) t.Value.Dispose();
                throw;
            }
            return new PtContents(tensors, other);
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device and dtype with a torch storage type) as a state dict in torch.save's
    /// format, loadable by torch.load(path, weights_only=True) and Module.load_state_dict; atomically (temporary file, rename).
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToList();
        AtomicWrite.Run(path, fs =>
        {
            using var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true);
            var entries = list.Select((kv, i) => new StateDictPickler.Entry(kv.Key, kv.Value.DType, kv.Value.Shape, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            Store(zip, "archive/data.pkl", StateDictPickler.Write(entries));
            Store(zip, "archive/byteorder", "little"u8);
            using (torch.NoGrad())
                for (int i = 0; i < list.Count; i++)
                    Store(zip, $"archive/data/{entries[i].StorageKey}", list[i].Value.ToBytes());
            Store(zip, "archive/version", "3\n"u8);
        });
    }

    // Uncompressed, as torch.save writes its records, with a fixed time stamp so equal tensors give equal files.
    private static void Store(ZipArchive zip, string name, ReadOnlySpan<byte> data)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(data);
    }

    private static void Flatten(PickleDict dict, string prefix, Action<string, TensorRef> tensor, List<string> other)
    {
        foreach (var (key, value) in dict.Items)
        {
            string name = prefix + Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture);
            switch (value)
            {
                case TensorRef r: tensor(name, r); break;
                case PickleDict d: Flatten(d, name + ".", tensor, other); break;
                default: other.Add(name); break;
            }
        }
    }

    private static Tensor Materialise(string path, ZipArchive zip, string prefix, TensorRef r, Dictionary<string, byte[]> storages, long fileLength)
    {
        var s = r.Storage;
        int es = s.DType.ElementSize();
        string record = $"{prefix}data/{s.Key}";
        if (!storages.TryGetValue(s.Key, out var bytes))
        {
            var entry = zip.GetEntry(record) ?? throw Bad(path, $"storage '{s.Key}' has no record {record} in the archive");
            long expected;
            try { expected = checked(s.Numel * es); }
            catch (OverflowException) { throw Bad(path, $"storage '{s.Key}' claims {s.Numel} elements of {s.DType}, more than can exist"); }
            if (entry.Length != expected)
                throw Bad(path, $"storage '{s.Key}' claims {s.Numel} elements of {s.DType} ({expected} bytes) but {record} holds {entry.Length} bytes");
            bytes = ReadEntry(path, entry, expected, fileLength);
            storages[s.Key] = bytes;
        }
        else if (bytes.LongLength % es != 0 || bytes.LongLength / es != s.Numel)
            throw Bad(path, $"storage '{s.Key}' is claimed as {s.Numel} elements of {s.DType} by one tensor but holds {bytes.LongLength} bytes for another");
        long numel = 1, extent = 0;
        try
        {
            if (r.Size.Length != r.Stride.Length) throw Bad(path, $"a tensor of storage '{s.Key}' has {r.Size.Length} sizes but {r.Stride.Length} strides");
            for (int i = 0; i < r.Size.Length; i++)
            {
                if (r.Size[i] < 0 || r.Stride[i] < 0) throw Bad(path, $"a tensor of storage '{s.Key}' has a negative size or stride");
                numel = checked(numel * r.Size[i]);
                if (r.Size[i] > 0) extent = checked(extent + (r.Size[i] - 1) * r.Stride[i]);
            }
        }
        catch (OverflowException) { throw Bad(path, $"a tensor of storage '{s.Key}' claims a size that overflows 64 bits"); }
        if (numel == 0) return torch.Zeros(r.Size, s.DType);
        if (r.Offset < 0 || r.Offset > s.Numel - 1 - extent)   // overflow-free: extent >= 0, Numel >= 1
            throw Bad(path, $"a tensor of shape ({string.Join(", ", r.Size)}) at offset {r.Offset} reads past the {s.Numel} elements of storage '{s.Key}'");
        var strides = StateDictPickler.ContiguousStrides(r.Size);
        if (strides.SequenceEqual(r.Stride))
            return torch.FromBytes(bytes.AsSpan(checked((int)(r.Offset * es)), checked((int)(numel * es))), s.DType, r.Size);
        // A strided view (rare in state dicts): gather it into C order.
        var dense = new byte[numel * es];
        var index = new long[r.Size.Length];
        for (long k = 0; k < numel; k++)
        {
            long src = r.Offset;
            for (int d = 0; d < index.Length; d++) src += index[d] * r.Stride[d];
            Buffer.BlockCopy(bytes, (int)(src * es), dense, (int)(k * es), es);
            for (int d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < r.Size[d]) break;
                index[d] = 0;
            }
        }
        return torch.FromBytes(dense, s.DType, r.Size);
    }

    private static byte[] ReadEntry(string path, ZipArchiveEntry entry, long expected, long fileLength)
    {
        if (expected > Array.MaxLength) throw Bad(path, $"{entry.FullName} holds {expected} bytes; records above {Array.MaxLength} bytes are not supported");
        if (entry.Length > fileLength && entry.Length > 1100 * Math.Max(entry.CompressedLength, 1))
            throw Bad(path, $"{entry.FullName} claims {entry.Length} bytes from {entry.CompressedLength} compressed bytes");
        var buffer = new byte[Math.Min(expected, entry.Length)];
        try
        {
            using var stream = entry.Open();
            int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (n != buffer.Length || stream.ReadByte() != -1)
                throw Bad(path, $"{entry.FullName} holds {(n != buffer.Length ? n : "more than " + n)} bytes, its header claims {entry.Length} (truncated or damaged)");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw Bad(path, $"{entry.FullName} is damaged ({e.Message})");
        }
        catch (IOException e) { throw Bad(path, $"{entry.FullName} could not be read ({e.Message})"); }
        return buffer;
    }

    private static InvalidDataException Bad(string path, string message) => new($"{path}: {message}");
}
