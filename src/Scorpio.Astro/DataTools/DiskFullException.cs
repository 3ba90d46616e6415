namespace Scorpio.Astro.DataTools;

/// <summary>A write failed because the disk (or the user's quota) is full; <see cref="Path"/> is the file that was being written.</summary>
public sealed class DiskFullException(string path, string message, Exception? inner = null) : UserInputException(message, inner)
{
    /// <summary>The file whose write failed.</summary>
    public string Path { get; } = path;
}
