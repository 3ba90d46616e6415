namespace Scorpio.Interop;

/// <summary>
/// One tensor's name in score_models' state dict and in Scorpio's. <see cref="NinWeight"/>: score_models' NIN layer
/// stores a 1x1 convolution's weight as a (out, in) matrix where Scorpio stores (out, in, 1, 1).
/// </summary>
public sealed record ScoreModelsName(string ScoreModels, string Scorpio, bool NinWeight = false);
