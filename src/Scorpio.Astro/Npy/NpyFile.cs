using System.Buffers.Binary;
using System.Text;
using Scorpio.Astro.DataTools;

namespace Scorpio.Astro.Npy;

/// <summary>
/// Reads and writes NumPy .npy arrays (format versions 1-3, C order). Values are converted to float32
/// <see cref="ImageData"/> on read; SOSS frames and other pipeline products come as .npy.
/// </summary>
public static class NpyFile
{
    /// <summary>Reads an array (float32/float64/int16/int32/int64/uint8/uint16, either byte order) as float32.</summary>
    public static ImageData Read(string path)
    {
        var h = ReadHeader(path, out long fileLength);
        long n = 1;
        foreach (var s in h.Shape)
        {
            if (s > 0 && n > int.MaxValue / s) throw new UserInputException($"{path}: .npy shape ({string.Join(",", h.Shape)}) is too large for one array (2^31 - 1 elements)");
            n *= s;
        }
        long need = n * h.ItemSize;
        if (need > Array.MaxLength) throw new UserInputException($"{path}: .npy array of shape ({string.Join(",", h.Shape)}) holds {need} bytes, more than one read can take; split it into smaller files");
        // Checked against the file's length before anything is allocated, so a corrupt shape cannot ask for gigabytes.
        if (fileLength - h.DataOffset < need)
            throw new UserInputException($"{path}: .npy file truncated: shape ({string.Join(",", h.Shape)}) needs {need} data bytes, the file has {fileLength - h.DataOffset}");
        var bytes = new byte[need];
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fs.Position = h.DataOffset;
            fs.ReadExactly(bytes);
        }
        var data = new float[n];
        var src = bytes.AsSpan();
        bool swap = h.BigEndian == BitConverter.IsLittleEndian;
        for (int i = 0; i < data.Length; i++)
        {
            var e = src.Slice(i * h.ItemSize, h.ItemSize);
            data[i] = h.DType switch
            {
                NpyDType.Float32 => BitConverter.Int32BitsToSingle(swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt32(e)) : BitConverter.ToInt32(e)),
                NpyDType.Float64 => (float)BitConverter.Int64BitsToDouble(swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt64(e)) : BitConverter.ToInt64(e)),
                NpyDType.Int16 => swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt16(e)) : BitConverter.ToInt16(e),
                NpyDType.UInt16 => swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToUInt16(e)) : BitConverter.ToUInt16(e),
                NpyDType.Int32 => swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt32(e)) : BitConverter.ToInt32(e),
                NpyDType.Int64 => swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt64(e)) : BitConverter.ToInt64(e),
                _ => e[0],
            };
        }
        // A 0-d array is one value; ImageData needs at least one axis.
        return new ImageData(data, h.Shape.Length == 0 ? new[] { 1 } : h.Shape);
    }

    /// <summary>Parses the header of the .npy file at <paramref name="path"/> (reads at most its first megabyte).</summary>
    public static NpyHeader ReadHeader(string path) => ReadHeader(path, out _);

    private static NpyHeader ReadHeader(string path, out long fileLength)
    {
        if (!File.Exists(path)) throw new UserInputException($".npy file not found: {path}");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        fileLength = fs.Length;
        var head = new byte[(int)Math.Min(fileLength, NpyHeader.MaxHeaderBytes + 12)];
        fs.ReadExactly(head);
        return NpyHeader.Parse(head, path);
    }

    /// <summary>
    /// Writes <paramref name="a"/> atomically as a version-1 .npy in C order, little endian.
    /// Int16 rounds to the nearest integer and rejects values outside -32768..32767 or NaN.
    /// </summary>
    public static void Write(string path, ImageData a, NpyDType dtype = NpyDType.Float32)
    {
        string descr = dtype switch
        {
            NpyDType.Float32 => "<f4",
            NpyDType.Float64 => "<f8",
            NpyDType.Int16 => "<i2",
            _ => throw new UserInputException($"{path}: writing .npy as {dtype} is not supported; use Float32, Float64 or Int16"),
        };
        string shape = a.Shape.Length == 1 ? $"({a.Shape[0]},)" : "(" + string.Join(", ", a.Shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so that magic + length + dict + '\n' is a multiple of 64 (numpy's alignment).
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        if (header.Length > ushort.MaxValue) throw new UserInputException($"{path}: shape has too many axes for a .npy v1 header");
        using var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8) });
        ms.Write(Encoding.ASCII.GetBytes(header));
        var buf = new byte[8];
        for (int i = 0; i < a.Data.Length; i++)
        {
            float v = a.Data[i];
            switch (dtype)
            {
                case NpyDType.Float32: BinaryPrimitives.WriteSingleLittleEndian(buf, v); ms.Write(buf, 0, 4); break;
                case NpyDType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(buf, v); ms.Write(buf, 0, 8); break;
                default:
                    double r = Math.Round(v, MidpointRounding.AwayFromZero);
                    if (!(r >= short.MinValue && r <= short.MaxValue))
                        throw new UserInputException($"{path}: element {i} = {v} does not fit int16; write as Float32 instead");
                    BinaryPrimitives.WriteInt16LittleEndian(buf, (short)r); ms.Write(buf, 0, 2); break;
            }
        }
        AtomicFile.WriteAllBytes(path, ms.ToArray());
    }
}
