namespace Scorpio.Training;

/// <summary>A snapshot of a running training, reported after every step.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps requested in total.</param>
/// <param name="Loss">Training loss, smoothed over roughly the last 50 steps, as of the last host read (losses are read every few steps, TrainingOptions.LossReadEvery); NaN before the first read.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ImagesPerSecond">Throughput, smoothed.</param>
/// <param name="Elapsed">Wall time of this call so far.</param>
/// <param name="Eta">Estimated time to reach <paramref name="TotalSteps"/> at the current speed.</param>
public readonly record struct TrainingProgress(long Step, long TotalSteps, double Loss, double LearningRate, double ImagesPerSecond, TimeSpan Elapsed, TimeSpan Eta);
