using System.Runtime.InteropServices;
using Scorpio.Torch.Interop;

namespace Scorpio.Torch.Distributed;

/// <summary>P/Invoke surface of the shim's "distributed (c10d)" section (native/scorpio_torch.cpp).</summary>
internal static unsafe class DistributedNative
{
    static DistributedNative() => Native.EnsureLoaded();

    [DllImport(Native.Lib)] public static extern int st_dist_available([MarshalAs(UnmanagedType.LPUTF8Str)] string what);
    [DllImport(Native.Lib)] public static extern IntPtr st_dist_store_new([MarshalAs(UnmanagedType.LPUTF8Str)] string host, int port, int isServer, int worldSize, long timeoutMs);
    [DllImport(Native.Lib)] public static extern int st_dist_store_port(IntPtr store);
    [DllImport(Native.Lib)] public static extern void st_dist_store_free(IntPtr store);
    [DllImport(Native.Lib)] public static extern IntPtr st_dist_group_new([MarshalAs(UnmanagedType.LPUTF8Str)] string backend, IntPtr store, int rank, int size, long timeoutMs,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string iface, [MarshalAs(UnmanagedType.LPUTF8Str)] string host);
    [DllImport(Native.Lib)] public static extern void st_dist_group_free(IntPtr group);
    [DllImport(Native.Lib)] public static extern IntPtr st_dist_allreduce(IntPtr group, IntPtr* tensors, int n, int op);
    [DllImport(Native.Lib)] public static extern IntPtr st_dist_broadcast(IntPtr group, IntPtr* tensors, int n, int root);
    [DllImport(Native.Lib)] public static extern IntPtr st_dist_barrier(IntPtr group);
    [DllImport(Native.Lib)] public static extern int st_dist_wait(IntPtr work);
    [DllImport(Native.Lib)] public static extern void st_dist_work_free(IntPtr work);

    /// <summary>True when the shim was built with <paramref name="what"/> ("tcpstore", "gloo", "nccl") and, for nccl, a GPU is present.</summary>
    public static bool Available(string what)
    {
        try { return st_dist_available(what) == 1; }
        catch (EntryPointNotFoundException) { return false; }  // a shim built before the c10d section
    }
}
