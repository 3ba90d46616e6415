namespace Scorpio.Torch.Distributed;

/// <summary>
/// A libtorch c10d process group: <see cref="WorldSize"/> processes (ranks) that reduce and broadcast tensors together,
/// over Gloo (CPU tensors; TCP) or NCCL (CUDA tensors, where the libtorch has it). Collectives work in place and must be
/// called by every rank in the same order with contiguous tensors of the same shapes. Every collective is bounded by
/// <see cref="Timeout"/>: a rank that dies makes the others fail at once (the connection closes), one that stops
/// answering makes them fail after the timeout, with a <see cref="DistributedException"/> in both cases.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    private IntPtr _handle;

    private ProcessGroup(IntPtr handle, string backend, int rank, int worldSize, TimeSpan timeout)
    {
        _handle = handle;
        Backend = backend;
        Rank = rank;
        WorldSize = worldSize;
        Timeout = timeout;
    }

    public string Backend { get; }
    public int Rank { get; }
    public int WorldSize { get; }
    public TimeSpan Timeout { get; }

    /// <summary>True when this shim can create <paramref name="backend"/> groups (gloo; nccl needs a CUDA libtorch, nccl.h at build time and a GPU).</summary>
    public static bool IsAvailable(string backend) => DistributedNative.Available(backend);

    /// <summary>Joins the group: blocks until every rank has called it (or <paramref name="timeout"/> passes).</summary>
    /// <param name="backend">gloo or nccl.</param>
    /// <param name="store">the rendezvous store (kept alive by the group).</param>
    /// <param name="rank">this process, 0 .. <paramref name="worldSize"/> - 1.</param>
    /// <param name="worldSize">number of processes.</param>
    /// <param name="timeout">bound of the rendezvous and of every collective.</param>
    /// <param name="networkInterface">gloo: bind to this interface (GLOO_SOCKET_IFNAME), else to <paramref name="hostAddress"/>.</param>
    /// <param name="hostAddress">gloo: bind to this address (e.g. 127.0.0.1 for a single machine), else to the hostname's address.</param>
    public static ProcessGroup Create(string backend, TcpStore store, int rank, int worldSize, TimeSpan timeout,
        string? networkInterface = null, string? hostAddress = null)
    {
        if (backend is not ("gloo" or "nccl")) throw new ArgumentException($"backend must be gloo or nccl (got '{backend}')", nameof(backend));
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} is outside 0..{worldSize - 1}");
        if (!IsAvailable(backend))
            throw new DistributedException(backend == "nccl"
                ? "the nccl backend is not available: it needs a shim built against a CUDA libtorch with nccl.h (see docs/scale-out.md) and a CUDA device; use --backend gloo"
                : "the gloo backend is not available in this build of the shim: install gloo's headers (Debian: apt-get install libgloo-dev) and rebuild (make clean build)");
        var h = DistributedNative.st_dist_group_new(backend, store.Handle, rank, worldSize, (long)timeout.TotalMilliseconds, networkInterface ?? "", hostAddress ?? "");
        if (h == IntPtr.Zero)
            throw new DistributedException($"rank {rank} of {worldSize}: could not form the {backend} process group within {timeout.TotalSeconds:G4} s: {Interop.Native.LastError()}");
        return new ProcessGroup(h, backend, rank, worldSize, timeout);
    }

    /// <summary>Starts an in-place allreduce of every tensor (one collective each); wait on the result before reading them.</summary>
    public unsafe CollectiveWork AllReduceAsync(IReadOnlyList<Tensor> tensors, ReduceOp op = ReduceOp.Sum) =>
        Start(tensors, "allreduce", (p, n) => DistributedNative.st_dist_allreduce(Handle, (IntPtr*)p, n, (int)op));

    /// <summary>In-place allreduce of every tensor; returns when all are reduced.</summary>
    public void AllReduce(IReadOnlyList<Tensor> tensors, ReduceOp op = ReduceOp.Sum)
    {
        using var w = AllReduceAsync(tensors, op);
        w.Wait();
    }

    /// <summary>Starts an in-place broadcast of every tensor from <paramref name="root"/>.</summary>
    public unsafe CollectiveWork BroadcastAsync(IReadOnlyList<Tensor> tensors, int root = 0)
    {
        if (root < 0 || root >= WorldSize) throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is outside 0..{WorldSize - 1}");
        return Start(tensors, "broadcast", (p, n) => DistributedNative.st_dist_broadcast(Handle, (IntPtr*)p, n, root));
    }

    /// <summary>In-place broadcast of every tensor from <paramref name="root"/>; returns when all have arrived.</summary>
    public void Broadcast(IReadOnlyList<Tensor> tensors, int root = 0)
    {
        using var w = BroadcastAsync(tensors, root);
        w.Wait();
    }

    /// <summary>Returns when every rank has reached the barrier.</summary>
    public void Barrier()
    {
        var h = DistributedNative.st_dist_barrier(Handle);
        if (h == IntPtr.Zero) throw Failure("barrier", Interop.Native.LastError());
        using var w = new CollectiveWork(h, this, "barrier");
        w.Wait();
    }

    private unsafe CollectiveWork Start(IReadOnlyList<Tensor> tensors, string what, Func<IntPtr, int, IntPtr> start)
    {
        var handles = new IntPtr[tensors.Count];
        // c10d itself refuses non-contiguous or sparse tensors (an error naming the tensor, thrown here).
        for (int k = 0; k < handles.Length; k++) handles[k] = tensors[k].Handle;
        IntPtr work;
        fixed (IntPtr* p = handles) work = start((IntPtr)p, handles.Length);
        if (work == IntPtr.Zero) throw Failure(what, Interop.Native.LastError());
        return new CollectiveWork(work, this, what);
    }

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(ProcessGroup));

    internal DistributedException Failure(string what, string detail) => new(
        $"rank {Rank} of {WorldSize} ({Backend}): {what} failed: {detail}. Another process of the job exited, lost its connection " +
        $"or did not answer within the {Timeout.TotalSeconds:G4} s timeout; the first error printed by the job names the cause");

    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { DistributedNative.st_dist_group_free(_handle); _handle = IntPtr.Zero; }
    }
}
