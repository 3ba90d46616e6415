using System.Runtime.InteropServices;
using Scorpio.Torch.Interop;

namespace Scorpio.Torch;

/// <summary>
/// Entry point mirroring PyTorch's <c>torch</c> module: tensor creation, random draws,
/// functional layers, FFTs, autograd and runtime settings.
/// </summary>
#pragma warning disable IDE1006, CS8981 // lower-case by design: reads like PyTorch and TorchSharp
public static partial class torch
#pragma warning restore IDE1006, CS8981
{
    static torch() => Native.EnsureLoaded();

    // ------------------------------------------------------------ runtime

    /// <summary>libtorch's version string, e.g. "1.13.1".</summary>
    public static string Version => Marshal.PtrToStringUTF8(Native.st_torch_version()) ?? "?";
    /// <summary>The shared library that provides BLAS (sgemm_) in this process.</summary>
    public static string BlasLibrary => Marshal.PtrToStringUTF8(Native.st_blas_library()) ?? "?";
    /// <summary>How OpenMP threads wait between parallel regions in this process (see OpenMpWaitPolicy), e.g. "OMP_WAIT_POLICY=PASSIVE (Scorpio's default)".</summary>
    public static string OpenMpWaitPolicy => Interop.OpenMpWaitPolicy.Describe();
    /// <summary>libtorch's build configuration and parallel settings.</summary>
    public static string BuildConfig => Marshal.PtrToStringUTF8(Native.st_build_config()) ?? "";
    public static bool CudaIsAvailable => Native.st_cuda_is_available() == 1;
    public static int CudaDeviceCount => Native.st_cuda_device_count();
    /// <summary>Waits for queued CUDA work (for timing); no-op on CPU.</summary>
    public static void CudaSynchronize() => Native.Check(Native.st_cuda_synchronize(), "cuda synchronize");
    /// <summary>Live native tensor handles in this process (for leak tests).</summary>
    public static long LiveTensorCount => Native.st_live_tensors();

    /// <summary>
    /// Reads of tensor values by the host made so far on the calling thread: copies to host memory (ToArray, ToDouble),
    /// scalar results of tensor ops (item, equal) and device-to-CPU transfers. Each one makes the host wait for the
    /// device on a GPU; sampling and training loops are tested to make none per network evaluation.
    /// </summary>
    public static long HostReads => Native.st_host_reads();

    /// <summary>Intra-op CPU threads; libtorch defaults to 1 in containers, so set it.</summary>
    public static int NumThreads
    {
        get => Native.st_get_num_threads();
        set => Native.st_set_num_threads(value <= 0 ? Environment.ProcessorCount : value);
    }

    /// <summary>Seeds libtorch's global generators (CPU and CUDA). Prefer passing a <see cref="Generator"/>.</summary>
    public static void ManualSeed(ulong seed) => Native.Check(Native.st_manual_seed(seed), "manual_seed");

    public static DisposeScope NewDisposeScope() => new();

    // ------------------------------------------------------------ creation

    public static Tensor FromArray(float[] data, params long[] shape) => Tensor.FromHost<float>(data, DType.Float32, shape.Length == 0 ? [data.Length] : shape);
    public static Tensor FromArray(double[] data, params long[] shape) => Tensor.FromHost<double>(data, DType.Float64, shape.Length == 0 ? [data.Length] : shape);
    public static Tensor FromArray(long[] data, params long[] shape) => Tensor.FromHost<long>(data, DType.Int64, shape.Length == 0 ? [data.Length] : shape);
    public static Tensor FromArray(bool[] data, params long[] shape) => Tensor.FromHost<byte>(data.Select(b => (byte)(b ? 1 : 0)).ToArray(), DType.Bool, shape.Length == 0 ? [data.Length] : shape);
    public static Tensor FromArray(byte[] data, params long[] shape) => Tensor.FromHost<byte>(data, DType.UInt8, shape.Length == 0 ? [data.Length] : shape);
    /// <summary>Raw little-endian bytes reinterpreted as <paramref name="dtype"/> (safetensors loading).</summary>
    public static Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, long[] shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (bytes.Length != n * dtype.ElementSize())
            throw new ArgumentException($"{bytes.Length} bytes for {n} elements of {dtype}");
        return Tensor.FromHost(bytes, DType.UInt8, [bytes.Length]).ViewBytesAs(dtype, shape);
    }

    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Aten.ScalarTensor(value, dtype, null, device);
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) => Aten.Zeros(shape, dtype, null, device);
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) => Aten.Ones(shape, dtype, null, device);
    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) => Aten.Full(shape, value, dtype, null, device);
    public static Tensor Eye(long n, DType dtype = DType.Float32, Device? device = null) => Aten.Eye_M(n, n, dtype, null, device);
    public static Tensor ZerosLike(Tensor t) => Aten.ZerosLike(t);
    public static Tensor OnesLike(Tensor t) => Aten.OnesLike(t);
    public static Tensor FullLike(Tensor t, double value) => Aten.FullLike(t, value);
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null) => Aten.Arange_StartStep(start, end, step, dtype, null, device);
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null) => Aten.Linspace(start, end, steps, dtype, null, device);

    // ------------------------------------------------------------ random (always with an explicit generator)

    /// <summary>Standard normal draws.</summary>
    public static Tensor Randn(long[] shape, Generator generator, DType dtype = DType.Float32, Device? device = null) =>
        Aten.Randn_Generator(shape, generator, dtype, null, device ?? generator.Device);
    /// <summary>Uniform draws in [0, 1).</summary>
    public static Tensor Rand(long[] shape, Generator generator, DType dtype = DType.Float32, Device? device = null) =>
        Aten.Rand_Generator(shape, generator, dtype, null, device ?? generator.Device);
    public static Tensor RandnLike(Tensor like, Generator generator) => Randn(like.Shape, generator, like.DType, like.Device);
    public static Tensor RandLike(Tensor like, Generator generator) => Rand(like.Shape, generator, like.DType, like.Device);
    /// <summary>Integers uniform in [low, high).</summary>
    public static Tensor RandInt(long low, long high, long[] shape, Generator generator, Device? device = null) =>
        Aten.Randint_LowGenerator(low, high, shape, generator, DType.Int64, null, device ?? generator.Device);
    public static Tensor RandPerm(long n, Generator generator, Device? device = null) =>
        Aten.Randperm_Generator(n, generator, DType.Int64, null, device ?? generator.Device);
    /// <summary>+1/-1 with equal probability (Hutchinson probes).</summary>
    public static Tensor Rademacher(long[] shape, Generator generator, DType dtype = DType.Float32, Device? device = null)
    {
        using var u = Rand(shape, generator, dtype, device);
        using var s = u.Gt(0.5);
        using var f = s.To(dtype);
        using var twice = f.Mul(2.0);
        return twice.Sub(1.0);
    }

    // ------------------------------------------------------------ combining

    public static Tensor Cat(Tensor[] tensors, long dim = 0) => Aten.Cat(tensors, dim);
    public static Tensor Stack(Tensor[] tensors, long dim = 0) => Aten.Stack(tensors, dim);
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Aten.Where_Self(condition, a, b);
    public static Tensor Where(Tensor condition, Tensor a, double b) => Aten.Where_ScalarOther(condition, a, b);
    public static Tensor Einsum(string equation, params Tensor[] operands) => Aten.Einsum(equation, operands);
    public static Tensor Matmul(Tensor a, Tensor b) => Aten.Matmul(a, b);
    public static Tensor Bmm(Tensor a, Tensor b) => Aten.Bmm(a, b);
    public static Tensor Outer(Tensor a, Tensor b) => Aten.Outer(a, b);
    public static Tensor Cdist(Tensor a, Tensor b, double p = 2) => Aten.Cdist(a, b, p);
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing = "ij") => Aten.Meshgrid_Indexing(tensors, indexing);
    public static Tensor Lerp(Tensor start, Tensor end, double weight) => Aten.Lerp_Scalar(start, end, weight);
    public static Tensor Atan2(Tensor y, Tensor x) => Aten.Atan2(y, x);
    /// <summary>Indices at which <paramref name="values"/> would be inserted into the increasing 1-D <paramref name="sorted"/> (int64; <paramref name="right"/>: after equal entries).</summary>
    public static Tensor SearchSorted(Tensor sorted, Tensor values, bool right = false) => Aten.Searchsorted_Tensor(sorted, values, right: right);
    public static Tensor Complex(Tensor real, Tensor imag) => Aten.Complex(real, imag);

    // ------------------------------------------------------------ linear algebra

    public static Tensor Cholesky(Tensor a) => Aten.LinalgCholesky(a);
    /// <summary>Eigen-decomposition of symmetric matrices: (eigenvalues ascending, eigenvectors as columns).</summary>
    public static (Tensor Values, Tensor Vectors) Eigh(Tensor a) => Aten.LinalgEigh(a);
    public static Tensor Solve(Tensor a, Tensor b) => Aten.LinalgSolve(a, b);
    /// <summary>A^-1 b for A = L L^T given its lower Cholesky factor <paramref name="lower"/> (b: (m, k)).</summary>
    public static Tensor CholeskySolve(Tensor b, Tensor lower) => Aten.CholeskySolve(b, lower);
    public static Tensor Inverse(Tensor a) => Aten.LinalgInv(a);
}
