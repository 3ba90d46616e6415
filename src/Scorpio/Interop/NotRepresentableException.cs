using Scorpio.Astro;

namespace Scorpio.Interop;

/// <summary>A network, SDE or setting that one side of the score_models interchange cannot express; the message names it.</summary>
public sealed class NotRepresentableException(string message) : UserInputException(message);
