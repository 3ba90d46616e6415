using System.Buffers.Binary;
using System.Text;

namespace Scorpio.Torch.Serialization;

/// <summary>
/// Writes the pickle (protocol 2) of an OrderedDict of tensors exactly as torch.save lays out a state dict: each tensor is
/// torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()) with the storage as the persistent id
/// ('storage', torch.XStorage, key, 'cpu', numel), whose bytes live in the archive's data/key.
/// </summary>
internal static class StateDictPickler
{
    public sealed record Entry(string Name, DType DType, long[] Shape, string StorageKey);

    public static byte[] Write(IEnumerable<Entry> entries)
    {
        var o = new MemoryStream();
        o.Write([0x80, 2]);                                      // PROTO 2
        Global(o, "collections", "OrderedDict");
        o.WriteByte((byte)')'); o.WriteByte((byte)'R');          // OrderedDict()
        o.WriteByte((byte)'(');                                  // MARK
        foreach (var e in entries)
        {
            Str(o, e.Name);
            Global(o, "torch._utils", "_rebuild_tensor_v2");
            o.WriteByte((byte)'(');
            o.WriteByte((byte)'(');
            Str(o, "storage");
            Global(o, "torch", StorageType(e.DType));
            Str(o, e.StorageKey);
            Str(o, "cpu");
            Int(o, e.Shape.Aggregate(1L, (a, b) => a * b));
            o.WriteByte((byte)'t');                              // TUPLE
            o.WriteByte((byte)'Q');                              // BINPERSID
            Int(o, 0);
            Tuple(o, e.Shape);
            Tuple(o, ContiguousStrides(e.Shape));
            o.WriteByte(0x89);                                   // NEWFALSE (requires_grad)
            Global(o, "collections", "OrderedDict");
            o.WriteByte((byte)')'); o.WriteByte((byte)'R');      // backward hooks: OrderedDict()
            o.WriteByte((byte)'t');
            o.WriteByte((byte)'R');
        }
        o.WriteByte((byte)'u');                                  // SETITEMS
        o.WriteByte((byte)'.');                                  // STOP
        return o.ToArray();
    }

    /// <summary>The torch storage class of <paramref name="dtype"/> (FloatStorage for float32...).</summary>
    public static string StorageType(DType dtype) => dtype switch
    {
        DType.Float32 => "FloatStorage", DType.Float64 => "DoubleStorage", DType.Float16 => "HalfStorage",
        DType.BFloat16 => "BFloat16Storage", DType.Int64 => "LongStorage", DType.Int32 => "IntStorage",
        DType.Int16 => "ShortStorage", DType.Int8 => "CharStorage", DType.UInt8 => "ByteStorage", DType.Bool => "BoolStorage",
        _ => throw new NotSupportedException($"dtype {dtype} has no torch storage type"),
    };

    public static long[] ContiguousStrides(long[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= Math.Max(shape[i], 1); }
        return s;
    }

    private static void Global(Stream o, string module, string name)
    {
        o.WriteByte((byte)'c');
        o.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static void Str(Stream o, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(n, b.Length);
        o.WriteByte((byte)'X');
        o.Write(n);
        o.Write(b);
    }

    private static void Int(Stream o, long v)
    {
        Span<byte> b = stackalloc byte[8];
        if (v is >= 0 and <= 0xFF) { o.WriteByte((byte)'K'); o.WriteByte((byte)v); }
        else if (v is >= 0 and <= 0xFFFF) { o.WriteByte((byte)'M'); BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); o.Write(b[..2]); }
        else if (v is >= int.MinValue and <= int.MaxValue) { o.WriteByte((byte)'J'); BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); o.Write(b[..4]); }
        else { o.WriteByte(0x8a); o.WriteByte(8); BinaryPrimitives.WriteInt64LittleEndian(b, v); o.Write(b); }
    }

    private static void Tuple(Stream o, long[] items)
    {
        if (items.Length == 0) { o.WriteByte((byte)')'); return; }
        if (items.Length > 3) o.WriteByte((byte)'(');
        foreach (var v in items) Int(o, v);
        o.WriteByte(items.Length switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => (byte)'t' });
    }
}
