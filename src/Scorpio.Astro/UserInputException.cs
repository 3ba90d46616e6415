namespace Scorpio.Astro;

/// <summary>
/// A problem with what the user gave us (a file, a path, an option value), as opposed to a bug.
/// The message names the file or option, what is wrong and how to fix it; the CLI prints it as
/// <c>error: ...</c> and exits with code 2.
/// </summary>
public class UserInputException(string message) : Exception(message);
