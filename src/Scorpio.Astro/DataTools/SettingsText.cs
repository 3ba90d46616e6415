namespace Scorpio.Astro.DataTools;

/// <summary>
/// Reads small UTF-8 settings files (config.json, problem files, noise_model.json) with bounded memory: a file larger than
/// <see cref="MaxBytes"/> or not valid UTF-8 is refused naming the file, so a wrong path (an image, a checkpoint) fails at
/// once instead of being parsed.
/// </summary>
public static class SettingsText
{
    /// <summary>Largest settings file read (real ones are a few kilobytes).</summary>
    public const long MaxBytes = 4 << 20;

    /// <summary>The text of <paramref name="path"/>; <paramref name="what"/> names the kind of file in errors ("a JSON settings file").</summary>
    public static string Read(string path, string what = "a JSON settings file")
    {
        long length = new FileInfo(path).Length;
        if (length > MaxBytes) throw new UserInputException($"{path}: {length} bytes is too large for {what} (at most {MaxBytes}); is it the right file?");
        var bytes = File.ReadAllBytes(path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new UserInputException($"{path}: not UTF-8 text, which {what} must be; is it the right file?");
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// The JSON object in <paramref name="path"/> (read as <see cref="Read"/>); invalid JSON or another kind of value is
    /// refused naming the file, with <paramref name="fix"/> as the advice.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject ReadObject(string path, string what, string fix)
    {
        string text = Read(path, what);
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text) as System.Text.Json.Nodes.JsonObject
                ?? throw new UserInputException($"{path}: {what} must be a JSON object {{ ... }}; {fix}");
        }
        catch (System.Text.Json.JsonException e) { throw new UserInputException($"{path}: not valid JSON ({e.Message}); {fix}"); }
    }

    /// <summary>The integer <paramref name="key"/> of <paramref name="obj"/>, read from <paramref name="path"/>, or an error naming both.</summary>
    public static int Int(System.Text.Json.Nodes.JsonObject obj, string key, string path, string fix) =>
        obj[key] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out int x) ? x
            : throw new UserInputException($"{path}: no integer '{key}'; {fix}");
}
