namespace Scorpio.Tests.Sampling;

/// <summary>Tests that count live native tensors run in this collection, alone: no other test may create tensors meanwhile.</summary>
[CollectionDefinition(nameof(SamplerMemoryCollection), DisableParallelization = true)]
public sealed class SamplerMemoryCollection;
