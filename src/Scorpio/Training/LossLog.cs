using System.Globalization;
using Scorpio.Astro.DataTools;

namespace Scorpio.Training;

/// <summary>
/// The run's loss.csv: step, loss, lr, images_per_s, seconds (cumulative wall time of the run).
/// On resume, rows after the checkpoint's step (written before a crash) are dropped so the log
/// matches the weights.
/// </summary>
public sealed class LossLog : IDisposable
{
    public const string Header = "step,loss,lr,images_per_s,seconds";
    private readonly StreamWriter _writer;

    private LossLog(StreamWriter writer) => _writer = writer;

    /// <summary>Starts a new log, or continues one keeping rows up to <paramref name="resumeStep"/>.</summary>
    public static LossLog Open(string path, long? resumeStep)
    {
        if (resumeStep is long keep && File.Exists(path))
        {
            // A row cut short by a kill (fewer fields) is dropped, so its step number cannot pass for an earlier step's.
            var rows = File.ReadAllLines(path).Skip(1)
                .Where(l => l.Split(',') is { Length: 5 } f && long.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s <= keep);
            AtomicFile.WriteAllText(path, string.Join("\n", new[] { Header }.Concat(rows)) + "\n");
        }
        else AtomicFile.WriteAllText(path, Header + "\n");
        return new LossLog(new StreamWriter(path, append: true));
    }

    public void Append(long step, double loss, double lr, double imagesPerSecond, double seconds) =>
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step},{loss:R},{lr:R},{imagesPerSecond:F2},{seconds:F3}"));

    public void Flush() => _writer.Flush();

    /// <summary>Closes the log. Every row is flushed before each checkpoint, so a failure here (a full disk that already
    /// stopped the run) loses only rows after the last checkpoint, which a resume drops anyway; it must not mask that error.</summary>
    public void Dispose()
    {
        try { _writer.Dispose(); }
        catch (IOException) { }
    }
}
