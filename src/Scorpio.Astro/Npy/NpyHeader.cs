using System.Text.RegularExpressions;

namespace Scorpio.Astro.Npy;

/// <summary>
/// The parsed header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (256, 2048), }</c>.
/// </summary>
/// <param name="DType">Element type.</param>
/// <param name="BigEndian">True for '&gt;' byte order.</param>
/// <param name="Shape">Axis lengths, C order.</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
public sealed partial record NpyHeader(NpyDType DType, bool BigEndian, int[] Shape, int DataOffset)
{
    [GeneratedRegex(@"'descr'\s*:\s*'(?<d>[^']*)'")] private static partial Regex Descr();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(?<f>True|False)")] private static partial Regex Fortran();
    [GeneratedRegex(@"'shape'\s*:\s*\((?<s>[^)]*)\)")] private static partial Regex ShapeRx();

    /// <summary>Longest header dictionary accepted (numpy's own are under a kilobyte); longer means a corrupt length field.</summary>
    public const int MaxHeaderBytes = 1_000_000;

    /// <summary>Bytes per element.</summary>
    public int ItemSize => DType switch
    {
        NpyDType.Float32 or NpyDType.Int32 => 4,
        NpyDType.Float64 or NpyDType.Int64 => 8,
        NpyDType.Int16 or NpyDType.UInt16 => 2,
        _ => 1,
    };

    /// <summary>Parses the preamble of <paramref name="bytes"/> (magic, version, header dictionary).</summary>
    public static NpyHeader Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || bytes[1] != (byte)'N' || bytes[2] != (byte)'U' || bytes[3] != (byte)'M' || bytes[4] != (byte)'P' || bytes[5] != (byte)'Y')
            throw new UserInputException($"{path}: not a .npy file (missing the \\x93NUMPY magic); save arrays with numpy.save");
        int major = bytes[6];
        int headerLen, start;
        if (major == 1) { headerLen = bytes[8] | (bytes[9] << 8); start = 10; }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12) throw new UserInputException($"{path}: .npy file truncated inside its preamble");
            uint l = (uint)(bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24));
            if (l > MaxHeaderBytes) throw new UserInputException($"{path}: .npy header length {l} is implausible (corrupt file)");
            headerLen = (int)l; start = 12;
        }
        else throw new UserInputException($"{path}: .npy format version {major}.{bytes[7]} is not supported (versions 1, 2 and 3 are)");
        if (start + headerLen > bytes.Length) throw new UserInputException($"{path}: .npy file truncated inside its header ({bytes.Length} bytes, header needs {start + headerLen})");
        string dict = System.Text.Encoding.Latin1.GetString(bytes.Slice(start, headerLen));

        var d = Descr().Match(dict);
        if (!d.Success) throw new UserInputException($"{path}: .npy header has no 'descr' entry: {MessageText.Quote(dict, 120)}");
        string descr = d.Groups["d"].Value;
        var f = Fortran().Match(dict);
        if (!f.Success) throw new UserInputException($"{path}: .npy header has no 'fortran_order' entry: {MessageText.Quote(dict, 120)}");
        if (f.Groups["f"].Value == "True")
            throw new UserInputException($"{path}: .npy array is in Fortran order; save it in C order (numpy.save(path, numpy.ascontiguousarray(a)))");
        var s = ShapeRx().Match(dict);
        if (!s.Success) throw new UserInputException($"{path}: .npy header has no 'shape' entry: {MessageText.Quote(dict, 120)}");
        var parts = s.Groups["s"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out shape[i]) || shape[i] < 0)
                throw new UserInputException($"{path}: .npy shape entry {MessageText.Quote(parts[i], 40)} is not a non-negative integer");

        if (descr.Length < 3) throw new UserInputException($"{path}: .npy dtype {MessageText.Quote(descr, 40)} is not supported");
        bool big = descr[0] == '>';
        var type = descr[1..] switch
        {
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            "i2" => NpyDType.Int16,
            "i4" => NpyDType.Int32,
            "u1" => NpyDType.UInt8,
            "u2" => NpyDType.UInt16,
            "i8" => NpyDType.Int64,
            _ => throw new UserInputException($"{path}: .npy dtype {MessageText.Quote(descr, 40)} is not supported; use float32, float64, int16, int32, int64, uint8 or uint16"),
        };
        if (descr[0] is not ('<' or '>' or '|' or '='))
            throw new UserInputException($"{path}: .npy dtype {MessageText.Quote(descr, 40)} has an unknown byte-order mark");
        return new NpyHeader(type, big, shape, start + headerLen);
    }
}
