using System.CommandLine;

namespace Scorpio.Cli;

/// <summary>Every top-level command of `scorpio`, one factory per command group.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return DemoCommand.Create();
        yield return SimulateCommand.Create();
        yield return BaselineCommand.Create();
        yield return DataCommand.Create();
        yield return TrainCommand.Create();
        yield return TrainCommand.CreateNoise();
        yield return SampleCommand.Create();
        yield return LoglikCommand.Create();
        yield return PosteriorCommand.Create();
        yield return CalibrateCommand.Create();
        yield return InpaintCommand.Create();
        yield return TransferCommand.Create();
        yield return MergeCommand.Create();
        yield return EvaluateCommand.Create();
        yield return EvaluatePosteriorCommand.Create();
        yield return ConfigCommand.Create();
        yield return ImportCommand.Create();
        yield return ExportCommand.Create();
        yield return DenoiseCommand.Create();
    }
}
