namespace Scorpio.Torch.Distributed;

/// <summary>
/// libtorch's TCPStore: the key-value rendezvous of a process group (torch.distributed's env:// init). Rank 0 serves it
/// on MASTER_ADDR:MASTER_PORT and waits until all processes have connected; the others connect as clients.
/// </summary>
public sealed class TcpStore : IDisposable
{
    internal IntPtr Handle { get; private set; }

    /// <summary>The port served or connected to (with port 0 on the server: the free port the system chose).</summary>
    public int Port { get; }

    /// <param name="host">the server's address (MASTER_ADDR).</param>
    /// <param name="port">its port (MASTER_PORT); 0 on the server picks a free one.</param>
    /// <param name="isServer">true on rank 0.</param>
    /// <param name="worldSize">processes that will connect (the server waits for all of them).</param>
    /// <param name="timeout">how long the server waits for everyone and clients retry connecting.</param>
    public TcpStore(string host, int port, bool isServer, int worldSize, TimeSpan timeout)
    {
        if (!DistributedNative.Available("tcpstore"))
            throw new DistributedException("this build of the shim has no c10d (torch.distributed) support: rebuild it against a libtorch built with USE_DISTRIBUTED (Debian's libtorch-dev is)");
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), $"a TCP port is 0-65535 (got {port})");
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), $"at least one process (got {worldSize})");
        Handle = DistributedNative.st_dist_store_new(host, port, isServer ? 1 : 0, worldSize, (long)timeout.TotalMilliseconds);
        if (Handle == IntPtr.Zero)
            throw new DistributedException((isServer
                ? $"could not serve the rendezvous store on {host}:{port} or not all {worldSize} processes connected within {timeout.TotalSeconds:G4} s"
                : $"could not reach the rendezvous store at {host}:{port} within {timeout.TotalSeconds:G4} s (is rank 0 running, and MASTER_ADDR/MASTER_PORT right?)")
                + ": " + Interop.Native.LastError());
        Port = DistributedNative.st_dist_store_port(Handle);
    }

    /// <summary>
    /// A TCP port that is free on <paramref name="address"/> now (the system's choice), for a launcher that must tell every
    /// process MASTER_PORT before rank 0 binds it (as torchrun's standalone mode does; another program could take it first).
    /// </summary>
    public static int FreePort(string address = "127.0.0.1")
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(address), 0);
        listener.Start();
        try { return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public void Dispose()
    {
        if (Handle != IntPtr.Zero) { DistributedNative.st_dist_store_free(Handle); Handle = IntPtr.Zero; }
    }
}
