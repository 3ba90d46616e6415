namespace Scorpio.Torch.Distributed;

/// <summary>
/// A collective or the rendezvous failed: a peer process died or lost its connection, did not answer within the
/// group's timeout, or the store could not be reached. The message names this process's rank and what to check.
/// </summary>
public sealed class DistributedException(string message) : Exception(message);
