using System.Security.Cryptography;
using System.Text;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Sampling;

namespace Scorpio.Catalogues;

/// <summary>
/// Many inputs of one kind, object j = 0 .. <see cref="Count"/> - 1: a FITS cube of stamps (N, H, W) or (N, C, H, W),
/// object j being plane j (read into memory once, with the cube's header for every object), or a list file of FITS
/// paths, one per line (blank lines and lines starting with # skipped; relative paths are relative to the list's folder),
/// object j being line j's file, read when it is needed. For catalogues larger than memory use a list file.
/// </summary>
public sealed class Catalogue
{
    private readonly ImageData? _cube;
    private readonly FitsHeader? _cubeHeader;
    private readonly string[]? _paths;

    private Catalogue(string source, ImageData? cube, FitsHeader? header, string[]? paths, string fingerprint)
    {
        Source = source;
        _cube = cube;
        _cubeHeader = header;
        _paths = paths;
        Fingerprint = fingerprint;
    }

    /// <summary>The cube or list file.</summary>
    public string Source { get; }
    /// <summary>"cube" or "list".</summary>
    public string Kind => _cube is not null ? "cube" : "list";
    public int Count => _cube is not null ? _cube.Shape[0] : _paths!.Length;
    /// <summary>
    /// What identifies the inputs, recorded by every shard of a run so that a shard given another catalogue is refused: a
    /// list's SHA-256, or a cube's shape and the SHA-256 of its first and last objects' pixels.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>Opens a FITS cube (.fits, .fit, .fts, optionally .gz or .fz) or a list file (anything else).</summary>
    public static Catalogue Open(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"catalogue file '{path}' does not exist");
        return Data.DatasetLoader.IsFitsPath(path) ? OpenCube(path) : OpenList(path);
    }

    private static Catalogue OpenCube(string path)
    {
        var (cube, header) = FitsFile.ReadWithHeader(path);
        if (cube.Rank is not (3 or 4))
            throw new UserInputException($"{path}: a catalogue cube holds one stamp per plane, (N, H, W) or (N, C, H, W); this one has shape {string.Join("x", cube.Shape)}. " +
                "For a single image use --obs/--image; for files of different sizes use a list file of paths");
        long per = cube.Length / cube.Shape[0];
        var ends = new float[2 * per];
        Array.Copy(cube.Data, 0, ends, 0, per);
        Array.Copy(cube.Data, cube.Length - per, ends, per, per);
        var bytes = new byte[ends.Length * 4];
        Buffer.BlockCopy(ends, 0, bytes, 0, bytes.Length);
        string fp = $"cube {string.Join("x", cube.Shape)} {Convert.ToHexString(SHA256.HashData(bytes))[..16]}";
        return new Catalogue(path, cube, header, null, fp);
    }

    private static Catalogue OpenList(string path)
    {
        string text = File.ReadAllText(path);
        if (text.Contains('\0')) throw new UserInputException($"{path} is not a text list of FITS paths (binary data); a cube must end in .fits, .fit or .fts");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var paths = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Path.IsPathRooted(l) ? l : Path.Combine(dir, l)).ToArray();
        if (paths.Length == 0) throw new UserInputException($"{path} lists no FITS files (one path per line; # starts a comment)");
        string fp = $"list {paths.Length} {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", paths))))[..16]}";
        return new Catalogue(path, null, null, paths, fp);
    }

    /// <summary>How messages and outputs name object <paramref name="index"/>: the cube plane or the listed file.</summary>
    public string Name(int index) => _cube is not null ? $"{Source}[{index}]" : _paths![index];

    /// <summary>Object <paramref name="index"/>'s pixels, (H, W) or (C, H, W), and its header (the cube's, or the file's).</summary>
    public (ImageData Image, FitsHeader Header) Read(int index)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), $"object {index} of {Count}");
        if (_paths is not null)
        {
            string p = _paths[index];
            if (!File.Exists(p)) throw new UserInputException($"{Source}, line of object {index}: '{p}' does not exist");
            return FitsFile.ReadWithHeader(p);
        }
        var shape = _cube!.Shape[1..];
        long per = _cube.Length / _cube.Shape[0];
        var data = new float[per];
        Array.Copy(_cube.Data, index * per, data, 0, per);
        return (new ImageData(data, shape), _cubeHeader!.Clone());
    }

    /// <summary>
    /// The seed of object <paramref name="index"/> of a catalogue run seeded <paramref name="seed"/> (docs/seeds.md): its
    /// sample k then draws from (this seed, k) as a single-object run would. Independent of the shard the object falls in,
    /// so sharded and unsharded runs draw the same numbers.
    /// </summary>
    public static long ObjectSeed(long seed, long index) => unchecked((long)SampleNoise.SeedFor(seed, index, ObjectStream));

    /// <summary>The stream of <see cref="SampleNoise.SeedFor"/> reserved for per-object seeds (samplers use 0-2).</summary>
    public const int ObjectStream = 100;
}
