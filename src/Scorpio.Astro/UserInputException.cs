namespace Scorpio.Astro;

/// <summary>
/// A problem with what the user gave us (a file, a path, an option value), as opposed to a bug.
/// The message names the file or option, what is wrong and how to fix it; the CLI prints it as
/// <c>error: ...</c> and exits with code 2.
/// </summary>
public class UserInputException : Exception
{
    public UserInputException(string message) : base(message) { }

    /// <summary>With the underlying failure (an IOException, ...) kept for SCORPIO_DEBUG=1 output.</summary>
    public UserInputException(string message, Exception? inner) : base(message, inner) { }
}
