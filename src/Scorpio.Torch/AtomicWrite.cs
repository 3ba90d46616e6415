namespace Scorpio.Torch;

/// <summary>
/// Writes a file atomically: to a temporary name in the same folder, flushed to disk, then renamed over the target, so a
/// crash never leaves a half-written file and the previous one stays intact until the new one is complete.
/// </summary>
internal static class AtomicWrite
{
    public static void Run(string path, Action<FileStream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = $"{full}.tmp{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
