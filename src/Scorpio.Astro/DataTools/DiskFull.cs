namespace Scorpio.Astro.DataTools;

/// <summary>
/// Recognises a write that failed because the file system is full (ENOSPC) or the user's quota is spent (EDQUOT), and
/// says so in one line naming the file, the folder and the space left, instead of a bare IOException. Writers call
/// <see cref="Rethrow"/> in their failure path, after removing their temporary file, so the previous version of the target
/// is untouched.
/// </summary>
public static class DiskFull
{
    private const int Enospc = 28, Edquot = 122;

    /// <summary>True when <paramref name="e"/> (or an inner exception) reports a full disk or an exhausted quota.</summary>
    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DiskFullException) return true;
            if (e is IOException io && ((io.HResult & 0xFFFF) is Enospc or Edquot
                || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
                || io.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    /// <summary>True when the file system holding <paramref name="path"/> has less than <paramref name="bytes"/> bytes free for this user.</summary>
    public static bool IsNearlyFull(string path, long bytes = 1 << 16) => FreeBytes(path) is long free && free < bytes;

    /// <summary>Bytes free for this user on the file system holding <paramref name="path"/>, or null when it cannot be asked.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            string dir = Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? full;
            return new DriveInfo(dir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <summary>
    /// The one-line error for a write of <paramref name="path"/> that found the disk full; <paramref name="consequence"/> says
    /// what that means for the caller's run and how to continue (default: the previous file is untouched).
    /// </summary>
    public static DiskFullException Error(string path, Exception? inner = null, string? consequence = null)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? full;
        string free = FreeBytes(dir) is long b ? $"{FormatBytes(b)} free" : "free space unknown";
        return new DiskFullException(path, $"the disk is full: writing {path} failed ({free} on the file system holding {dir}); " +
            (consequence ?? "the previous version of the file, if any, is untouched: free space there or write to another folder"), inner);
    }

    /// <summary>Throws <see cref="Error"/> when <paramref name="e"/> is a full-disk failure; otherwise returns (the caller rethrows).</summary>
    public static void Rethrow(string path, Exception e)
    {
        if (e is DiskFullException) return;
        if (Is(e)) throw Error(path, e);
    }

    internal static string FormatBytes(long b) => b >= 1 << 30 ? $"{b / (double)(1 << 30):F1} GiB" : b >= 1 << 20 ? $"{b / (double)(1 << 20):F1} MiB" : b >= 1 << 10 ? $"{b / 1024.0:F1} KiB" : $"{b} bytes";
}
