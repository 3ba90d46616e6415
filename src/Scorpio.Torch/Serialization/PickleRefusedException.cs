namespace Scorpio.Torch.Serialization;

/// <summary>A pickle asked for something a state dict does not need (a global, an opcode) or is malformed; nothing was executed.</summary>
internal sealed class PickleRefusedException(string message) : Exception(message);
