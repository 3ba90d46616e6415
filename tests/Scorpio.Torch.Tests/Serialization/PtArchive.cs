using System.IO.Compression;
using System.Text;

namespace Scorpio.Torch.Tests.Serialization;

/// <summary>Builds torch.save-style archives by hand (a pickle and raw storages), well-formed or deliberately not.</summary>
internal sealed class PtArchive
{
    private readonly MemoryStream _pickle = new();
    private readonly List<(string Name, byte[] Data)> _records = new();

    public PtArchive Op(params byte[] bytes) { _pickle.Write(bytes); return this; }
    public PtArchive Global(string module, string name) => Op((byte)'c').Op(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    public PtArchive Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        return Op((byte)'X').Op(BitConverter.GetBytes(b.Length)).Op(b);
    }
    public PtArchive Int(int v) => Op((byte)'J').Op(BitConverter.GetBytes(v));
    public PtArchive Long(long v) => Op(0x8a, 8).Op(BitConverter.GetBytes(v));

    /// <summary>A tensor: _rebuild_tensor_v2(('storage', torch.FloatStorage, key, 'cpu', numel), offset, size, stride, False, OrderedDict()).</summary>
    public PtArchive Tensor(string key, long numel, long offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Op((byte)'(');
        Op((byte)'(').Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Long(numel).Op((byte)'t', (byte)'Q');
        Long(offset);
        Op((byte)'('); foreach (var s in size) Long(s); Op((byte)'t');
        Op((byte)'('); foreach (var s in stride) Long(s); Op((byte)'t');
        Op(0x89).Global("collections", "OrderedDict").Op((byte)')', (byte)'R');
        return Op((byte)'t', (byte)'R');
    }

    /// <summary>OrderedDict() with one entry per (name, tensor-writing action), then STOP.</summary>
    public static PtArchive StateDict(params (string Name, Action<PtArchive> Value)[] items)
    {
        var a = new PtArchive().Op(0x80, 2).Global("collections", "OrderedDict").Op((byte)')', (byte)'R', (byte)'(');
        foreach (var (name, value) in items) { a.Str(name); value(a); }
        return a.Op((byte)'u', (byte)'.');
    }

    public PtArchive Record(string name, byte[] data) { _records.Add((name, data)); return this; }

    public PtArchive Floats(string key, params float[] values)
    {
        var b = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, b, 0, b.Length);
        return Record($"archive/data/{key}", b);
    }

    public string Write(string path)
    {
        using (var fs = File.Create(path))
        using (var zip = new ZipArchive(fs, ZipArchiveMode.Create))
        {
            void Add(string name, byte[] data) { using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open(); s.Write(data); }
            Add("archive/data.pkl", _pickle.ToArray());
            foreach (var (name, data) in _records) Add(name, data);
            Add("archive/version", "3\n"u8.ToArray());
        }
        return path;
    }
}
