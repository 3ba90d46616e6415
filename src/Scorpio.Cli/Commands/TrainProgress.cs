using Scorpio.Training;
using Spectre.Console;

namespace Scorpio.Cli;

/// <summary>
/// Runs training with a Spectre.Console progress bar (loss, images/s, ETA) when stderr is a
/// terminal, and plain progress lines every ~5 s otherwise (logs, CI, redirected output).
/// </summary>
internal static class TrainProgress
{
    public static TrainingResult Run(TrainingOptions options, CancellationToken cancel) =>
        Run(monitor => Trainer.Run(options with { Monitor = monitor }, cancel));

    /// <summary>Runs <paramref name="train"/> (a training call that reports to the monitor it is given) with progress.</summary>
    public static TrainingResult Run(Func<ITrainingMonitor, TrainingResult> train)
    {
        if (!CliContext.Interactive) return train(new PlainTrainingMonitor(Console.Error));

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        TrainingResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: 1);
                result = train(new BarMonitor(task, console));
            });
        return result!;
    }

    private sealed class BarMonitor(ProgressTask task, IAnsiConsole console) : ITrainingMonitor
    {
        public void Started(RunConfig config, long startStep, string runDir)
        {
            task.MaxValue = config.Training.Steps;
            task.Value = startStep;
            console.MarkupLineInterpolated($"[grey]{(startStep == 0 ? "training" : "resuming")} {runDir} ({config.Sde.Name}, {config.Network.Arch} width {config.Network.Width}, seed {config.Seed}) at step {startStep}/{config.Training.Steps}[/]");
        }

        public void Progress(TrainingProgress p)
        {
            task.Value = p.Step;
            task.Description = $"step {p.Step}/{p.TotalSteps}  loss {(double.IsNaN(p.Loss) ? "-" : p.Loss.ToString("G4"))}  {p.ImagesPerSecond:F1} img/s";
        }

        public void Note(string message) => console.MarkupLineInterpolated($"[grey]{message}[/]");
    }
}
