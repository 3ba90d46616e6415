using System.CommandLine;
using Scorpio.Training;

namespace Scorpio.Cli;

/// <summary>`scorpio config reference`: the configuration reference (docs/configuration.md), generated from the code.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Write the Markdown to this file (default: standard output)." };
        var reference = new Command("reference",
            "Print every config.json key with its type, default and meaning, generated from the code (Markdown). Example:\n" +
            "  " + ConfigurationReference.RegenerateCommand) { output };
        reference.SetAction(pr =>
        {
            string markdown = ConfigurationReference.Markdown();
            if (pr.GetValue(output) is string path)
            {
                OutputGuard.File(pr, "--out", path);
                Scorpio.Astro.DataTools.AtomicFile.WriteAllText(path, markdown);
                Console.WriteLine($"wrote {path}");
            }
            else Console.Write(markdown);
            return 0;
        });
        return new Command("config", "About config.json, the configuration of training runs.") { reference };
    }
}
