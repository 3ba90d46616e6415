using System.Globalization;

namespace Scorpio.Training;

/// <summary>
/// Plain progress lines (for logs and non-terminal output), at most one per <paramref name="interval"/>
/// (5 s by default) plus the last step: "step 120/2000  loss 0.8123  lr 2.0e-04  45.1 img/s  ETA 00:11:23".
/// </summary>
public sealed class PlainTrainingMonitor(TextWriter writer, TimeSpan? interval = null) : ITrainingMonitor
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(5);
    private TimeSpan? _lastPrint;

    public void Started(RunConfig config, long startStep, string runDir) =>
        writer.WriteLine(startStep == 0
            ? $"training {runDir}: {config.Training.Steps} steps, batch {config.Training.Batch}, sde {config.Sde.Name}, network {config.Network.Arch} (width {config.Network.Width}), seed {config.Seed}"
            : $"resuming {runDir} at step {startStep} of {config.Training.Steps}");

    public void Progress(TrainingProgress p)
    {
        if (p.Step != p.TotalSteps && _lastPrint is TimeSpan last && p.Elapsed - last < _interval) return;
        _lastPrint = p.Elapsed;
        writer.WriteLine(Format(p));
        writer.Flush();
    }

    /// <summary>One progress line.</summary>
    public static string Format(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps}  loss {(double.IsNaN(p.Loss) ? "-" : p.Loss.ToString("G5", CultureInfo.InvariantCulture))}  lr {p.LearningRate:0.0e+00}  {p.ImagesPerSecond:F1} img/s  ETA {FormatSpan(p.Eta)}");

    public static string FormatSpan(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : t.ToString(@"mm\:ss");

    public void Note(string message) { writer.WriteLine(message); writer.Flush(); }

    /// <summary>Silent: the caller reports <see cref="TrainingResult.Message"/> (stdout or stderr depending on the outcome).</summary>
    public void Finished(TrainingResult result) { }
}
