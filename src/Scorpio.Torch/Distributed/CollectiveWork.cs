namespace Scorpio.Torch.Distributed;

/// <summary>
/// Collectives started by <see cref="ProcessGroup"/> and not yet waited for. The tensors they write must not be read
/// before <see cref="Wait"/> returns; disposing without waiting is allowed (the backend finishes or fails them).
/// </summary>
public sealed class CollectiveWork : IDisposable
{
    private IntPtr _handle;
    private readonly ProcessGroup _group;
    private readonly string _what;

    internal CollectiveWork(IntPtr handle, ProcessGroup group, string what)
    {
        _handle = handle;
        _group = group;
        _what = what;
    }

    /// <summary>Blocks until every collective has finished; throws <see cref="DistributedException"/> when one failed.</summary>
    public void Wait()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (DistributedNative.st_dist_wait(_handle) < 0) throw _group.Failure(_what, Interop.Native.LastError());
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { DistributedNative.st_dist_work_free(_handle); _handle = IntPtr.Zero; }
    }
}
