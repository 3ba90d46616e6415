using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Scorpio.Astro.DataTools;

/// <summary>
/// An exclusive lock on a folder that a run owns (a training run folder), held for as long as the object lives. The lock is
/// a file in the folder (<see cref="FileName"/>) holding the holder's pid, host and start time, and a kernel lock on that
/// file (Linux open-file-description lock, <c>F_OFD_SETLK</c>), which the kernel drops when the holder dies in any way,
/// kill -9 included. A second process is refused with a message naming the holder; a lock file left by a dead process is
/// stale (its kernel lock is gone) and is taken over with a notice. Where OFD locks are not available (not Linux, some
/// network file systems) the pid is checked instead: a holder on this host whose process no longer exists is stale.
/// </summary>
public sealed class FolderLock : IDisposable
{
    /// <summary>Name of the lock file inside the folder.</summary>
    public const string FileName = ".scorpio.lock";

    private FileStream? _stream;

    private FolderLock(FileStream stream, string path, string? tookOverFrom)
    {
        _stream = stream;
        Path = path;
        TookOverFrom = tookOverFrom;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>The stale holder this lock replaced ("pid 123 on host x since ..."), or null.</summary>
    public string? TookOverFrom { get; }

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> (created when missing) or throws <see cref="UserInputException"/> naming the
    /// process that holds it. <paramref name="what"/> describes the folder in the message ("the training run").
    /// </summary>
    public static FolderLock Acquire(string folder, string what = "the folder")
    {
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.Combine(folder, FileName);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            string previous = ReadAll(stream);
            var kernel = TryKernelLock(stream);
            if (kernel == KernelLock.Busy || (kernel == KernelLock.Unsupported && HolderAlive(previous)))
                throw new UserInputException($"{folder}: {what} is in use by {Describe(previous)} (lock file {path}); wait for it to finish or stop it first");
            string? stale = string.IsNullOrWhiteSpace(previous) ? null : Describe(previous);
            stream.SetLength(0);
            stream.Position = 0;
            var text = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"pid={Environment.ProcessId}\nhost={Environment.MachineName}\nstarted={DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\nprocess_start={ProcessStart(Environment.ProcessId)}\n"));
            stream.Write(text);
            stream.Flush(flushToDisk: true);
            return new FolderLock(stream, path, stale);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock: the file is emptied (an empty lock file is free) and closed, which drops the kernel lock.</summary>
    public void Dispose()
    {
        if (_stream is null) return;
        try
        {
            _stream.SetLength(0);
            _stream.Flush();
        }
        catch (IOException) { }
        _stream.Dispose();
        _stream = null;
    }

    private static string ReadAll(FileStream s)
    {
        if (s.Length > 4096) return "";
        var buffer = new byte[s.Length];
        s.Position = 0;
        s.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }

    private static Dictionary<string, string> Fields(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());

    private static string Describe(string text)
    {
        var f = Fields(text);
        return f.Count == 0 ? "another process" : MessageText.OneLine(
            $"pid {f.GetValueOrDefault("pid", "?")} on host {f.GetValueOrDefault("host", "?")} (since {f.GetValueOrDefault("started", "?")})", 200);
    }

    // Without a kernel lock: alive when the holder runs on this host and its process (same start time) still exists.
    private static bool HolderAlive(string text)
    {
        var f = Fields(text);
        if (!f.TryGetValue("pid", out var p) || !int.TryParse(p, out int pid)) return false;
        if (f.GetValueOrDefault("host") != Environment.MachineName) return true; // another host: cannot tell, assume alive
        if (pid == Environment.ProcessId) return false;
        string start = ProcessStart(pid);
        return start.Length > 0 && start == f.GetValueOrDefault("process_start", start);
    }

    // The process's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused pid from the holder.
    private static string ProcessStart(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private enum KernelLock { Taken, Busy, Unsupported }

    private static KernelLock TryKernelLock(FileStream stream)
    {
        if (!OperatingSystem.IsLinux()) return KernelLock.Unsupported;
        var lk = new Flock { Type = FWrlck, Whence = 0, Start = 0, Len = 0, Pid = 0 };
        int rc = Fcntl((int)stream.SafeFileHandle.DangerousGetHandle(), FOfdSetlk, ref lk);
        if (rc == 0) return KernelLock.Taken;
        int errno = Marshal.GetLastPInvokeError();
        return errno is Eagain or Eacces ? KernelLock.Busy : KernelLock.Unsupported;
    }

    private const int FOfdSetlk = 37, Eagain = 11, Eacces = 13;
    private const short FWrlck = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Len;
        public int Pid;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int cmd, ref Flock lk);
}
