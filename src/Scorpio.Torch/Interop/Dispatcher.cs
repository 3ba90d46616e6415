using System.Runtime.InteropServices;
using System.Text;

namespace Scorpio.Torch.Interop;

/// <summary>The one generic entry point into libtorch: a boxed call through the ATen dispatcher.</summary>
internal static unsafe class Dispatcher
{
    private const int MaxOutputs = 16;

    [ThreadStatic] private static NativeArg[]? t_listOutputs;

    public static Tensor CallTensor(OpHandle op, params ReadOnlySpan<Arg> args)
    {
        NativeArg* outs = stackalloc NativeArg[MaxOutputs];
        int n = Call(op, args, outs);
        if (n > MaxOutputs) { FreeOutputs(TakeResults(n)); throw new TorchException($"{op.Name}: expected one tensor result, got {n} values"); }
        if (n < 1 || outs[0].Tag != ArgTag.Tensor)
        {
            FreeOutputs(outs, n);
            throw new TorchException($"{op.Name}: expected a tensor result");
        }
        for (int k = 1; k < n; k++) if (outs[k].Tag == ArgTag.Tensor) Native.st_free(outs[k].P);
        var result = new Tensor(outs[0].P);
        if (FlopCounter.Active) FlopCounter.Record(op, args, result);
        return result;
    }

    public static Tensor[] CallTensors(OpHandle op, params ReadOnlySpan<Arg> args)
    {
        // Ops returning lists (unbind, split, sort...) run inside loops: reuse one buffer per thread.
        var outs = t_listOutputs ??= new NativeArg[256];
        int n;
        fixed (NativeArg* po = outs) n = Call(op, args, po, outs.Length);
        if (n > outs.Length)
        {
            // A list longer than the buffer (a foreach op over a large network's parameters): grow it for next time.
            outs = t_listOutputs = new NativeArg[Math.Max(n, 2 * outs.Length)];
            fixed (NativeArg* po = outs) Native.Check(Native.st_take_results(po, n), op.Name);
        }
        var result = new Tensor[n];
        for (int k = 0; k < n; k++)
            result[k] = outs[k].Tag == ArgTag.Tensor ? new Tensor(outs[k].P) : null!;
        return result;
    }

    public static Scalar CallScalar(OpHandle op, params ReadOnlySpan<Arg> args)
    {
        NativeArg* outs = stackalloc NativeArg[MaxOutputs];
        int n = Call(op, args, outs);
        if (n > MaxOutputs) { FreeOutputs(TakeResults(n)); throw new TorchException($"{op.Name}: expected one scalar result, got {n} values"); }
        if (n < 1) throw new TorchException($"{op.Name}: no result");
        var r = outs[0];
        FreeOutputs(outs, n);
        return r.Tag switch
        {
            ArgTag.Int => new Scalar(r.I),
            ArgTag.Double => new Scalar(r.D),
            ArgTag.Bool => new Scalar(r.I != 0),
            _ => throw new TorchException($"{op.Name}: expected a scalar result, got {r.Tag}"),
        };
    }

    public static void CallVoid(OpHandle op, params ReadOnlySpan<Arg> args)
    {
        NativeArg* outs = stackalloc NativeArg[MaxOutputs];
        int n = Call(op, args, outs);
        if (n > MaxOutputs) FreeOutputs(TakeResults(n));
        else FreeOutputs(outs, n);
    }

    /// <summary>The results the shim kept because they did not fit the caller's buffer (st_call returned their count).</summary>
    private static NativeArg[] TakeResults(int n)
    {
        var all = new NativeArg[n];
        fixed (NativeArg* p = all) Native.Check(Native.st_take_results(p, n), "st_take_results");
        return all;
    }

    private static void FreeOutputs(NativeArg[] outs)
    {
        fixed (NativeArg* p = outs) FreeOutputs(p, outs.Length);
    }

    private static void FreeOutputs(NativeArg* outs, int n)
    {
        for (int k = 0; k < n; k++) if (outs[k].Tag == ArgTag.Tensor) Native.st_free(outs[k].P);
    }

    private static int Call(OpHandle op, ReadOnlySpan<Arg> args, NativeArg* outs, int maxOuts = MaxOutputs)
    {
        int count = args.Length;
        NativeArg* native = stackalloc NativeArg[count];
        GCHandle[]? pinned = null;
        int npinned = 0;
        IntPtr[]? strings = null;
        int nstrings = 0;
        try
        {
            for (int k = 0; k < count; k++)
            {
                ref readonly var a = ref args[k];
                var na = new NativeArg { Tag = a.Tag, I = a.I, D = a.D };
                switch (a.Tag)
                {
                    case ArgTag.Tensor:
                        na.P = ((Tensor)a.Ref!).Handle;
                        break;
                    case ArgTag.Device:
                        na.I = a.I;
                        na.N = (long)a.D;
                        break;
                    case ArgTag.Generator:
                        na.P = ((Generator)a.Ref!).Handle;
                        break;
                    case ArgTag.IntList:
                    case ArgTag.DoubleList:
                    case ArgTag.BoolList:
                    {
                        var arr = (Array)a.Ref!;
                        pinned ??= new GCHandle[count];
                        var h = GCHandle.Alloc(arr, GCHandleType.Pinned);
                        pinned[npinned++] = h;
                        na.P = h.AddrOfPinnedObject();
                        na.N = arr.Length;
                        break;
                    }
                    case ArgTag.TensorList:
                    case ArgTag.OptionalTensorList:
                    {
                        var ts = (Tensor?[])a.Ref!;
                        var handles = new IntPtr[ts.Length];
                        for (int j = 0; j < ts.Length; j++) handles[j] = ts[j]?.Handle ?? IntPtr.Zero;
                        pinned ??= new GCHandle[count];
                        var h = GCHandle.Alloc(handles, GCHandleType.Pinned);
                        pinned[npinned++] = h;
                        na.P = h.AddrOfPinnedObject();
                        na.N = ts.Length;
                        break;
                    }
                    case ArgTag.String:
                    {
                        strings ??= new IntPtr[count];
                        var p = Marshal.StringToCoTaskMemUTF8((string)a.Ref!);
                        strings[nstrings++] = p;
                        na.P = p;
                        break;
                    }
                }
                native[k] = na;
            }
            int n = Native.st_call(op.Ptr, native, count, outs, maxOuts);
            if (n < 0) throw new TorchException($"{op.Name}: {Native.LastError()}");
            return n;
        }
        finally
        {
            for (int k = 0; k < npinned; k++) pinned![k].Free();
            for (int k = 0; k < nstrings; k++) Marshal.FreeCoTaskMem(strings![k]);
            // Keep managed tensors alive until the native call has returned.
            for (int k = 0; k < count; k++) GC.KeepAlive(args[k].Ref);
        }
    }
}
