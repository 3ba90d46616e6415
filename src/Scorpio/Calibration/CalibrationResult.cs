using System.Text.Json.Nodes;

namespace Scorpio.Calibration;

/// <summary>What <see cref="CalibrationRun.Run"/> wrote: the folder, its files and calibration.json's content.</summary>
public sealed record CalibrationResult(string OutDir, IReadOnlyList<string> Files, JsonObject Summary);
