namespace Scorpio.Astro.DataTools;

/// <summary>
/// Writes files so that a reader never sees a half-written one: the bytes go to a temporary file in the
/// same folder, which is then renamed over the target (a rename within one file system is atomic).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new UserInputException($"{path}: folder {dir} does not exist; create it first");
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
                write(fs);
            File.Move(tmp, full, overwrite: true);
        }
        catch (IOException e)
        {
            TryDelete(tmp);
            DiskFull.Rethrow(path, e);
            throw;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    // A failed write must not hide its cause behind a failed clean-up.
    internal static void TryDelete(string tmp)
    {
        try { if (File.Exists(tmp)) File.Delete(tmp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
