using System.Buffers.Binary;
using System.Text;

namespace Scorpio.Torch.Serialization;

/// <summary>
/// A pickle reader that understands only what a PyTorch state dict needs and executes nothing: the opcodes of
/// protocols 2 to 5 that build strings, numbers, tuples, lists and dicts, and the globals of
/// <see cref="AllowedGlobals"/> (OrderedDict, the tensor and parameter rebuild functions, typed storages), which are
/// interpreted here, never looked up or called. Any other global or opcode is refused with
/// <see cref="PickleRefusedException"/> naming it, before anything is built from it (the same standard as PyTorch's
/// <c>weights_only</c> loader). Every length is checked against the bytes that remain.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private static readonly Dictionary<string, DType> StorageTypes = new()
    {
        ["FloatStorage"] = DType.Float32, ["DoubleStorage"] = DType.Float64, ["HalfStorage"] = DType.Float16,
        ["BFloat16Storage"] = DType.BFloat16, ["LongStorage"] = DType.Int64, ["IntStorage"] = DType.Int32,
        ["ShortStorage"] = DType.Int16, ["CharStorage"] = DType.Int8, ["ByteStorage"] = DType.UInt8, ["BoolStorage"] = DType.Bool,
    };

    private static readonly HashSet<string> Functions =
    [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
    ];

    /// <summary>Every global a state dict may name: OrderedDict, the rebuild functions and torch.XStorage types.</summary>
    public static IEnumerable<string> AllowedGlobals => Functions.Concat(StorageTypes.Keys.Select(k => "torch." + k));

    private const int MaxDepth = 10_000;

    private readonly byte[] _data;
    private int _pos;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();

    private RestrictedUnpickler(byte[] data) => _data = data;

    /// <summary>The object the pickle in <paramref name="data"/> describes (strings, longs, doubles, bools, null,
    /// <see cref="PickleTuple"/>, lists, <see cref="PickleDict"/>, <see cref="TensorRef"/>).</summary>
    public static object? Load(byte[] data) => new RestrictedUnpickler(data).Run();

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Refuse("the pickle ends before its STOP opcode (truncated)");
            int at = _pos;
            byte op = _data[_pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    { int p = ReadByte(); if (p > 5) throw Refuse($"pickle protocol {p} is newer than 5"); break; }
                case 0x95: ReadBytes(8); break;                  // FRAME: a length hint only
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Refuse("STOP with an unbalanced stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); Push(Mark.Instance); break;
                case (byte)')': Push(new PickleTuple([])); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case 0x8a: Push(ReadLong1(at)); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;
                case (byte)'X': Push(Utf8(ReadBytes(ReadLength(4)))); break;
                case 0x8c: Push(Utf8(ReadBytes(ReadByte()))); break;
                case 0x8d: Push(Utf8(ReadBytes(ReadLength(8)))); break;
                case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break;
                case (byte)'B': Push(ReadBytes(ReadLength(4)).ToArray()); break;
                case (byte)'C': Push(ReadBytes(ReadByte()).ToArray()); break;
                case (byte)'q': _memo[ReadByte()] = Peek(); break;
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;
                case (byte)'h': Push(Memo(ReadByte(), at)); break;
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), at)); break;
                case (byte)'c': Push(Global(ReadLine(), ReadLine(), at)); break;
                case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop() as string; var module = Pop() as string;
                        if (module is null || name is null) throw Refuse($"STACK_GLOBAL without two strings (offset {at})");
                        Push(Global(module, name, at));
                        break;
                    }
                case (byte)'t': Push(new PickleTuple(PopToMark().ToArray())); break;
                case 0x85: Push(new PickleTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; }
                case (byte)'l': Push(PopToMark()); break;
                case (byte)'d': { var items = PopToMark(); var d = new PickleDict(); SetItems(d, items, at); Push(d); break; }
                case (byte)'R': // REDUCE
                    {
                        var args = Pop() as PickleTuple ?? throw Refuse($"REDUCE without an argument tuple (offset {at})");
                        var f = Pop() as PickleGlobal ?? throw Refuse($"REDUCE of something that is not an allowed global (offset {at})");
                        Push(Call(f, args.Items, at));
                        break;
                    }
                case (byte)'b': // BUILD: the state of an OrderedDict (a state dict's _metadata) is kept out of the result
                    {
                        Pop();
                        if (Peek() is not PickleDict) throw Refuse($"BUILD on a {Describe(Peek())}: only a dict's state may be set (offset {at})");
                        break;
                    }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(Peek(), k, v, at); break; }
                case (byte)'u': { var items = PopToMark(); var d = Peek() as PickleDict ?? throw Refuse($"SETITEMS on a {Describe(Peek())} (offset {at})"); SetItems(d, items, at); break; }
                case (byte)'a': { var v = Pop(); (Peek() as List<object?> ?? throw Refuse($"APPEND on a {Describe(Peek())} (offset {at})")).Add(v); break; }
                case (byte)'e': { var items = PopToMark(); (Peek() as List<object?> ?? throw Refuse($"APPENDS on a {Describe(Peek())} (offset {at})")).AddRange(items); break; }
                case (byte)'Q': Push(PersistentLoad(Pop(), at)); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopToMark(); break;
                case (byte)'2': Push(Peek()); break;
                default:
                    throw Refuse($"opcode {OpName(op)} at offset {at} is not allowed in a state dict");
            }
        }
    }

    private sealed class Mark
    {
        public static readonly Mark Instance = new();
    }

    private object? Call(PickleGlobal f, object?[] a, int at)
    {
        switch (f.ToString())
        {
            case "collections.OrderedDict":
                if (a.Length != 0) throw Refuse($"OrderedDict called with {a.Length} arguments (offset {at})");
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (a.Length < 4 || a[0] is not StorageRef storage || a[1] is not long offset || a[2] is not PickleTuple size || a[3] is not PickleTuple stride)
                    throw Refuse($"{f.Name} with arguments other than (storage, offset, size, stride, ...) (offset {at})");
                return new TensorRef(storage, offset, Longs(size, "size", at), Longs(stride, "stride", at));
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                if (a.Length < 1 || a[0] is not TensorRef data) throw Refuse($"{f.Name} without a tensor (offset {at})");
                return data;
            default:
                throw Refuse($"the global '{f}' is a storage type, not a function (offset {at})");
        }
    }

    private object PersistentLoad(object? pid, int at)
    {
        if (pid is not PickleTuple { Items: [string kind, PickleGlobal type, string key, string location, long numel] } || kind != "storage")
            throw Refuse($"a persistent id other than ('storage', type, key, location, numel) at offset {at}");
        if (type.Module != "torch" || !StorageTypes.TryGetValue(type.Name, out var dtype))
            throw Refuse($"storage type '{type}' (offset {at}); allowed: {string.Join(", ", StorageTypes.Keys)}");
        if (numel < 0) throw Refuse($"storage '{key}' claims {numel} elements (offset {at})");
        return new StorageRef(key, dtype, numel, location);
    }

    private PickleGlobal Global(string module, string name, int at)
    {
        var g = new PickleGlobal(module, name);
        if (Functions.Contains(g.ToString()) || (module == "torch" && StorageTypes.ContainsKey(name))) return g;
        throw Refuse($"the global '{g}' (offset {at}) is not allowed: a state dict names only {string.Join(", ", AllowedGlobals)}");
    }

    private long[] Longs(PickleTuple t, string what, int at)
    {
        var r = new long[t.Items.Length];
        for (int i = 0; i < r.Length; i++)
            r[i] = t.Items[i] is long v ? v : throw Refuse($"tensor {what} holds a {Describe(t.Items[i])}, not an integer (offset {at})");
        return r;
    }

    private void SetItems(PickleDict d, List<object?> items, int at)
    {
        if (items.Count % 2 != 0) throw Refuse($"SETITEMS with an odd number of items (offset {at})");
        for (int i = 0; i < items.Count; i += 2) SetItem(d, items[i], items[i + 1], at);
    }

    private void SetItem(object? target, object? key, object? value, int at)
    {
        if (target is not PickleDict d) throw Refuse($"SETITEM on a {Describe(target)} (offset {at})");
        if (key is not (string or long or bool or double)) throw Refuse($"a dict key that is a {Describe(key)} (offset {at})");
        d.Set(key, value);
    }

    private object? Memo(long index, int at) =>
        _memo.TryGetValue(index, out var v) ? v : throw Refuse($"memo entry {index} read before it was written (offset {at})");

    private long ReadLong1(int at)
    {
        int n = ReadByte();
        if (n > 8) throw Refuse($"an integer of {n} bytes (offset {at}): larger than 64 bits");
        var b = ReadBytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
        if (n is > 0 and < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);   // two's complement sign
        return v;
    }

    private int ReadLength(int bytes)
    {
        ulong n = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)) : BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));
        if (n > (ulong)(_data.Length - _pos)) throw Refuse($"a string or bytes of {n} bytes where only {_data.Length - _pos} remain (offset {_pos - bytes - 1})");
        return (int)n;
    }

    private int ReadByte()
    {
        if (_pos >= _data.Length) throw Refuse("the pickle ends inside an opcode (truncated)");
        return _data[_pos++];
    }

    private ReadOnlySpan<byte> ReadBytes(int n)
    {
        if (n < 0 || n > _data.Length - _pos) throw Refuse("the pickle ends inside an opcode (truncated)");
        var span = new ReadOnlySpan<byte>(_data, _pos, n);
        _pos += n;
        return span;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0 || end - _pos > 1000) throw Refuse("a GLOBAL name without its newline (truncated)");
        var s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private static string Utf8(ReadOnlySpan<byte> b)
    {
        try { return new UTF8Encoding(false, true).GetString(b); }
        catch (DecoderFallbackException) { throw new PickleRefusedException("a string that is not valid UTF-8"); }
    }

    private void Push(object? v)
    {
        if (_stack.Count >= MaxDepth * 10) throw Refuse("the pickle's stack grows beyond 100000 entries");
        _stack.Add(v);
    }

    private object? Pop()
    {
        if (_stack.Count == 0 || _stack[^1] is Mark) throw Refuse($"an opcode pops from an empty stack (offset {_pos - 1})");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object? Peek() =>
        _stack.Count == 0 || _stack[^1] is Mark ? throw Refuse($"an opcode reads an empty stack (offset {_pos - 1})") : _stack[^1];

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0) throw Refuse($"an opcode needs a MARK that was never set (offset {_pos - 1})");
        int m = _marks.Pop();
        var items = _stack.GetRange(m + 1, _stack.Count - m - 1);
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private static string Describe(object? v) => v switch
    {
        null => "None",
        PickleGlobal g => $"global {g}",
        _ => v.GetType().Name,
    };

    private static string OpName(byte op) => op switch
    {
        (byte)'i' => "INST", (byte)'o' => "OBJ", 0x81 => "NEWOBJ", 0x92 => "NEWOBJ_EX", (byte)'P' => "PERSID",
        0x82 or 0x83 or 0x84 => "EXT", (byte)'I' => "INT", (byte)'L' => "LONG", (byte)'F' => "FLOAT", (byte)'S' => "STRING",
        (byte)'V' => "UNICODE", 0x8b => "LONG4", 0x8e => "BINBYTES8", 0x8f => "EMPTY_SET", 0x90 => "ADDITEMS", 0x91 => "FROZENSET",
        0x96 => "BYTEARRAY8", 0x97 => "NEXT_BUFFER", 0x98 => "READONLY_BUFFER", (byte)'g' => "GET", (byte)'p' => "PUT",
        _ => $"0x{op:x2}",
    };

    private static PickleRefusedException Refuse(string message) => new(message);
}
