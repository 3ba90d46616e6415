using System.Text;

namespace Scorpio.Astro;

/// <summary>
/// Makes text from files and native libraries safe to print in a one-line error: control characters (newlines, tabs, NUL,
/// escape sequences) and other non-printable characters become '?', runs of spaces collapse, and the result is cut to a
/// length a terminal line can show. A damaged header quoted verbatim would otherwise spread over several lines or drive
/// the terminal.
/// </summary>
public static class MessageText
{
    /// <summary>Longest message <see cref="OneLine"/> returns (longer ones end with "...").</summary>
    public const int MaxLength = 600;

    /// <summary><paramref name="text"/> as one printable line of at most <paramref name="max"/> characters.</summary>
    public static string OneLine(string? text, int max = MaxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, max + 3));
        bool space = false;
        foreach (char c in text)
        {
            char o = c is '\n' or '\r' or '\t' ? ' ' : char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c;
            if (o == ' ')
            {
                if (space) continue;
                space = true;
            }
            else space = false;
            sb.Append(o);
            if (sb.Length >= max) { sb.Append("..."); break; }
        }
        return sb.ToString().Trim();
    }

    /// <summary>A short quotation of raw file content (a header, a value) for an error: one line, at most <paramref name="max"/> characters.</summary>
    public static string Quote(string? raw, int max = 80) => "'" + OneLine(raw, max) + "'";
}
