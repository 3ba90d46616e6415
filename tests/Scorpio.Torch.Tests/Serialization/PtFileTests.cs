using Scorpio.Tests;
using Scorpio.Torch.Serialization;

namespace Scorpio.Torch.Tests.Serialization;

/// <summary>
/// PtFile reads torch.save state dicts without running code: real files written by PyTorch load with their values,
/// its own files round-trip bitwise, and malformed or malicious files are refused with a message naming the file and
/// what was refused.
/// </summary>
public class PtFileTests
{
    private static string Temp(string name) => Path.Combine(TestPaths.TempDir("pt-" + name), name + ".pt");

    private static string Refused(string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => PtFile.Load(path));
        Assert.StartsWith(path, e.Message);
        return e.Message;
    }

    [Fact]
    public void RoundTripsEveryStorageDTypeBitwiseInOrder()
    {
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(4);
        var src = new List<KeyValuePair<string, Tensor>>
        {
            new("z.f32", torch.Randn([3, 4], rng)), new("a.f64", torch.Randn([2, 2, 2, 2, 2], rng, DType.Float64)),
            new("bf16", torch.Randn([5], rng).To(DType.BFloat16)), new("f16", torch.Randn([5], rng).To(DType.Float16)),
            new("i64", torch.FromArray(new long[] { long.MinValue, 0, long.MaxValue })), new("u8", torch.FromArray(new byte[] { 0, 255 })),
            new("bool", torch.FromArray(new[] { true, false })), new("scalar", torch.Scalar(2.5, DType.Float64)),
            new("empty", torch.Zeros([0, 3])), new("big", torch.Randn([70000], rng)),
        };
        var path = Temp("roundtrip");
        PtFile.Save(path, src);
        using var back = PtFile.Load(path);
        Assert.Equal(src.Select(kv => kv.Key), back.Tensors.Select(kv => kv.Key));
        for (int i = 0; i < src.Count; i++)
        {
            Assert.Equal(src[i].Value.DType, back.Tensors[i].Value.DType);
            Assert.Equal(src[i].Value.Shape, back.Tensors[i].Value.Shape);
            Assert.Equal(src[i].Value.ToBytes(), back.Tensors[i].Value.ToBytes());
        }
        // The same tensors give the same bytes (fixed time stamps).
        var again = Temp("roundtrip-again");
        PtFile.Save(again, src);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void ReadsAStateDictWrittenByPyTorch()
    {
        // score_models 0.6 NCSNpp(nf=16, ch_mult=(1,1,2), num_res_blocks=1) saved by torch.save (python3-torch 1.13).
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "Scorpio.Tests", "Interop", "Fixtures", "ncsnpp_ve", "checkpoint_001.pt");
        using var pt = PtFile.Load(path);
        Assert.Equal(230_427, pt.Tensors.Sum(kv => kv.Value.Numel));
        Assert.Equal("all_modules.0.W", pt.Tensors[0].Key);
        Assert.Equal(new long[] { 8 }, pt.Tensors[0].Value.Shape);
        Assert.All(pt.Tensors, kv => Assert.Equal(DType.Float32, kv.Value.DType));
        Assert.Empty(pt.OtherEntries);
    }

    [Fact]
    public void ViewsIntoASharedStorageKeepTheirOffsetAndStrides()
    {
        // One storage of 6 floats: a (2, 3) tensor, its transpose (3, 2) with strides (1, 3) and row 1 at offset 3.
        var path = PtArchive.StateDict(
                ("a", a => a.Tensor("0", 6, 0, [2, 3], [3, 1])),
                ("t", a => a.Tensor("0", 6, 0, [3, 2], [1, 3])),
                ("row", a => a.Tensor("0", 6, 3, [3], [1])))
            .Floats("0", 0, 1, 2, 3, 4, 5).Write(Temp("views"));
        using var pt = PtFile.Load(path);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, pt.Tensors[0].Value.ToArray<float>());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, pt.Tensors[1].Value.ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, pt.Tensors[2].Value.ToArray<float>());
    }

    [Fact]
    public void APickleThatCallsOsSystemIsRefusedBeforeAnythingRuns()
    {
        var marker = Path.Combine(TestPaths.TempDir("pt-marker"), "pwned");
        // pickle.dumps of an object whose __reduce__ is (os.system, ("touch MARKER",)), protocol 2.
        var path = new PtArchive().Op(0x80, 2).Global("posix", "system").Str($"touch {marker}").Op(0x85, (byte)'R', (byte)'.').Write(Temp("os-system"));
        var message = Refused(path);
        Assert.Contains("'posix.system'", message);
        Assert.Contains("nothing was executed", message);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("torch", "load")]
    [InlineData("collections", "defaultdict")]
    public void EveryGlobalOutsideTheStateDictSetIsRefusedByName(string module, string name)
    {
        var path = PtArchive.StateDict(("x", a => a.Global(module, name).Op((byte)')', (byte)'R'))).Write(Temp("global"));
        Assert.Contains($"'{module}.{name}'", Refused(path));
    }

    [Fact]
    public void OpcodesThatBuildObjectsAreRefusedByName()
    {
        // INST (protocol 0 instance creation) and NEWOBJ (cls.__new__) can construct arbitrary classes.
        Assert.Contains("opcode INST", Refused(new PtArchive().Op(0x80, 2).Op((byte)'(').Op("iposix\nsystem\n"u8.ToArray()).Op((byte)'.').Write(Temp("inst"))));
        Assert.Contains("opcode NEWOBJ", Refused(PtArchive.StateDict(("x", a => a.Global("collections", "OrderedDict").Op((byte)')', 0x81))).Write(Temp("newobj"))));
    }

    [Fact]
    public void ATruncatedZipIsRefused()
    {
        var full = Temp("whole");
        PtFile.Save(full, [new("w", torch.Zeros([1000]))]);
        var bytes = File.ReadAllBytes(full);
        var path = Temp("truncated");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("damaged or truncated", Refused(path));
    }

    [Fact]
    public void ATruncatedPickleIsRefused()
    {
        var path = new PtArchive().Op(0x80, 2).Global("collections", "OrderedDict").Op((byte)')', (byte)'R', (byte)'(').Str("w").Write(Temp("short-pickle"));
        Assert.Contains("truncated", Refused(path));
    }

    [Fact]
    public void AStorageWhoseRecordHasTheWrongSizeIsRefused()
    {
        var path = PtArchive.StateDict(("w", a => a.Tensor("0", 10, 0, [10], [1]))).Floats("0", 1, 2, 3, 4).Write(Temp("wrong-size"));
        Assert.Contains("claims 10 elements of Float32 (40 bytes) but archive/data/0 holds 16 bytes", Refused(path));
    }

    [Fact]
    public void HugeClaimedSizesAreRefusedWithoutAllocating()
    {
        var storage = PtArchive.StateDict(("w", a => a.Tensor("0", 1L << 62, 0, [1], [1]))).Floats("0", 1).Write(Temp("huge-storage"));
        Assert.Contains("more than can exist", Refused(storage));
        var view = PtArchive.StateDict(("w", a => a.Tensor("0", 4, 0, [1L << 40, 1L << 40], [1L << 40, 1]))).Floats("0", 1, 2, 3, 4).Write(Temp("huge-view"));
        Assert.Contains("overflows 64 bits", Refused(view));
        var past = PtArchive.StateDict(("w", a => a.Tensor("0", 4, 2, [3], [1]))).Floats("0", 1, 2, 3, 4).Write(Temp("past-end"));
        Assert.Contains("reads past the 4 elements", Refused(past));
        // A string claiming 4 GB inside a 40-byte pickle.
        var text = new PtArchive().Op(0x80, 2).Op((byte)'X').Op(BitConverter.GetBytes(uint.MaxValue)).Op((byte)'.').Write(Temp("huge-string"));
        Assert.Contains("where only", Refused(text));
    }

    [Fact]
    public void AMissingStorageRecordIsNamed()
    {
        var path = PtArchive.StateDict(("w", a => a.Tensor("7", 1, 0, [1], [1]))).Write(Temp("missing-record"));
        Assert.Contains("storage '7' has no record archive/data/7", Refused(path));
    }

    [Fact]
    public void FilesThatAreNotZipArchivesAreRefused()
    {
        var random = Temp("random");
        File.WriteAllBytes(random, [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Contains("no ZIP signature", Refused(random));
        var legacy = Temp("legacy");
        File.WriteAllBytes(legacy, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]);
        Assert.Contains("legacy (pre-1.6) format", Refused(legacy));
    }
}
