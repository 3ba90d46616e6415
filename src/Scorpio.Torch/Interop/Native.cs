using System.Reflection;
using System.Runtime.InteropServices;

namespace Scorpio.Torch.Interop;

/// <summary>P/Invoke surface of native/scorpio_torch.cpp (the C shim over libtorch).</summary>
internal static unsafe class Native
{
    public const string Lib = "scorpio_torch";

    static Native()
    {
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
    }

    // SCORPIO_NATIVE first (e.g. a CUDA build of the shim), then next to the assemblies (the build
    // copies the shim there), then the repository's native/build folder for development runs.
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        var candidates = new List<string>();
        var env = Environment.GetEnvironmentVariable("SCORPIO_NATIVE");
        if (!string.IsNullOrEmpty(env)) candidates.Add(Directory.Exists(env) ? Path.Combine(env, "libscorpio_torch.so") : env);
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "libscorpio_torch.so"));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "native", "build", "libscorpio_torch.so"));
        OpenMpWaitPolicy.ApplyDefault();
        foreach (var c in candidates)
            if (File.Exists(c) && NativeLibrary.TryLoad(c, out var h)) return h;
        throw new DllNotFoundException(
            "libscorpio_torch.so not found (looked in: " + string.Join(", ", candidates.Take(3)) + ", ...). " +
            "Build it with `make build` (needs libtorch: `make deps`), or set SCORPIO_NATIVE to its path.");
    }

    /// <summary>Forces the resolver to be installed before the first native call.</summary>
    public static void EnsureLoaded() { }

    [DllImport(Lib)] public static extern IntPtr st_last_error();
    [DllImport(Lib)] public static extern long st_live_tensors();
    [DllImport(Lib)] public static extern long st_host_reads();
    [DllImport(Lib)] public static extern IntPtr st_from_host(void* data, int dtype, long* shape, int ndim);
    [DllImport(Lib)] public static extern int st_to_host(IntPtr t, void* dst, long nbytes);
    [DllImport(Lib)] public static extern void st_free(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr st_alias(IntPtr t);
    [DllImport(Lib)] public static extern int st_info(IntPtr t, out int dtype, out int deviceType, out int deviceIndex, out int requiresGrad, long* shape, int maxDims);
    [DllImport(Lib)] public static extern IntPtr st_find_op([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string overload);
    [DllImport(Lib)] public static extern IntPtr st_op_schema(IntPtr op);
    [DllImport(Lib)] public static extern int st_call(IntPtr op, NativeArg* args, int nargs, NativeArg* outs, int maxOuts);
    [DllImport(Lib)] public static extern int st_take_results(NativeArg* outs, int count);
    [DllImport(Lib)] public static extern int st_set_requires_grad(IntPtr t, int flag);
    [DllImport(Lib)] public static extern int st_is_leaf(IntPtr t);
    [DllImport(Lib)] public static extern IntPtr st_grad(IntPtr t);
    [DllImport(Lib)] public static extern int st_set_grad(IntPtr t, IntPtr g);
    [DllImport(Lib)] public static extern int st_backward(IntPtr t, IntPtr grad, int retainGraph, int createGraph);
    [DllImport(Lib)] public static extern int st_autograd_grad(IntPtr* outputs, int nOut, IntPtr* inputs, int nIn, IntPtr* gradOutputs, int retainGraph, int createGraph, int allowUnused, IntPtr* results);
    [DllImport(Lib)] public static extern int st_set_grad_enabled(int enabled);
    [DllImport(Lib)] public static extern int st_is_grad_enabled();
    [DllImport(Lib)] public static extern IntPtr st_inference_mode_enter(int enabled);
    [DllImport(Lib)] public static extern void st_inference_mode_exit(IntPtr guard);
    [DllImport(Lib)] public static extern int st_cuda_is_available();
    [DllImport(Lib)] public static extern int st_cuda_device_count();
    [DllImport(Lib)] public static extern int st_cuda_synchronize();
    [DllImport(Lib)] public static extern int st_manual_seed(ulong seed);
    [DllImport(Lib)] public static extern IntPtr st_generator_new(int deviceType, int deviceIndex, ulong seed);
    [DllImport(Lib)] public static extern void st_generator_free(IntPtr g);
    [DllImport(Lib)] public static extern IntPtr st_generator_get_state(IntPtr g);
    [DllImport(Lib)] public static extern int st_generator_set_state(IntPtr g, IntPtr state);
    [DllImport(Lib)] public static extern void st_set_num_threads(int n);
    [DllImport(Lib)] public static extern int st_get_num_threads();
    [DllImport(Lib)] public static extern IntPtr st_torch_version();
    [DllImport(Lib)] public static extern IntPtr st_blas_library();
    [DllImport(Lib)] public static extern IntPtr st_build_config();

    public static string LastError() => Marshal.PtrToStringUTF8(st_last_error()) ?? "unknown error";

    /// <summary>Throws a <see cref="TorchException"/> with libtorch's message when <paramref name="status"/> is negative.</summary>
    public static void Check(int status, string context)
    {
        if (status < 0) throw new TorchException(context + ": " + LastError());
    }

    public static IntPtr CheckHandle(IntPtr handle, string context)
    {
        if (handle == IntPtr.Zero) throw new TorchException(context + ": " + LastError());
        return handle;
    }
}
