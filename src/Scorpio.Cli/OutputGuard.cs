using System.CommandLine;
using System.CommandLine.Parsing;
using Scorpio.Astro;
using Scorpio.Training;

namespace Scorpio.Cli;

/// <summary>
/// The one check every writing command runs on its outputs before doing any work: an output never replaces one of the
/// command's inputs (any other option or argument naming an existing file, symbolic links resolved) nor a training run's own
/// files (<see cref="RunFolder.OwnFiles"/>), whatever the flags; and an existing output is replaced only with
/// <c>--overwrite</c>. A folder output is checked through the product files the command writes into it.
/// </summary>
internal static class OutputGuard
{
    /// <summary>The global flag that allows replacing existing outputs.</summary>
    public static readonly Option<bool> Overwrite = new("--overwrite")
    {
        Description = "Replace existing output files (never an input, nor a training run's own files).",
        Recursive = true,
    };

    /// <summary>Checks an output file given by <paramref name="flag"/> (null path: nothing to check).</summary>
    public static void File(ParseResult pr, string flag, string? path)
    {
        if (path is null) return;
        string target = StripCfitsioSuffix(path);
        if (Directory.Exists(target)) throw new UserInputException($"{flag} {path} is a folder; give a file name");
        CheckOne(pr, flag, target, target);
    }

    /// <summary>
    /// Checks an output folder given by <paramref name="flag"/> into which the command writes <paramref name="products"/>
    /// (file names); the folder itself may exist.
    /// </summary>
    /// <param name="pr">the parsed command line.</param>
    /// <param name="flag">the output flag, for messages.</param>
    /// <param name="dir">the output folder.</param>
    /// <param name="products">the names of the files the command writes into it.</param>
    /// <param name="inputs">inputs that are not option values (the files a problem file names), with a label each.</param>
    public static void Folder(ParseResult pr, string flag, string? dir, IEnumerable<string> products, IEnumerable<(string Label, string Path)>? inputs = null)
    {
        if (dir is null) return;
        if (System.IO.File.Exists(dir)) throw new UserInputException($"{flag} {dir} is a file; give a folder for the outputs");
        var extra = inputs?.ToList() ?? [];
        foreach (var name in products) CheckOne(pr, flag, dir, Path.Combine(dir, name), extra);
    }

    private static void CheckOne(ParseResult pr, string flag, string given, string file, IReadOnlyList<(string, string)>? extra = null)
    {
        string full = Canonical(file);
        foreach (var (inputFlag, input) in Inputs(pr, flag).Concat(extra ?? []))
            if (Canonical(input) == full)
                throw new UserInputException($"{flag} {given} would replace the input {inputFlag} {input}; write the output to another file");
        if (RunFolder.IsRunFile(file))
            throw new UserInputException($"{flag} {given} would replace {file}, a file of the training run in {Path.GetDirectoryName(Path.GetFullPath(file))}; write the output elsewhere");
        if (System.IO.File.Exists(file) && !pr.GetValue(Overwrite))
            throw new UserInputException(file == given
                ? $"{flag} {given} already exists; add --overwrite to replace it, or choose another name"
                : $"{flag} {given} already holds {Path.GetFileName(file)} from an earlier run; add --overwrite to replace its outputs, or choose another folder");
    }

    // Every option (other than the output's own) or argument value of the command that names an existing file: its inputs.
    private static IEnumerable<(string Flag, string Path)> Inputs(ParseResult pr, string outputFlag)
    {
        foreach (var child in pr.CommandResult.Children)
        {
            string name = child switch { OptionResult o => o.Option.Name, ArgumentResult a => a.Argument.Name, _ => "" };
            if (name == outputFlag) continue;
            IEnumerable<string> values = child switch
            {
                OptionResult o when !o.Implicit => o.Tokens.Select(t => t.Value),
                ArgumentResult a => a.Tokens.Select(t => t.Value),
                _ => [],
            };
            foreach (var v in values)
                if (v.Length > 0 && v.IndexOf('\0') < 0 && System.IO.File.Exists(v)) yield return (name, v);
        }
    }

    // The full path with symbolic links (of the file and of its folders) resolved, so two spellings of one file compare equal.
    private static string Canonical(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            var dir = Path.GetDirectoryName(full);
            if (dir is not null && Directory.Exists(dir))
            {
                var resolvedDir = new DirectoryInfo(dir).ResolveLinkTarget(true)?.FullName ?? dir;
                full = Path.Combine(ResolveParents(resolvedDir), Path.GetFileName(full));
            }
            return new FileInfo(full).ResolveLinkTarget(true)?.FullName ?? full;
        }
        catch (IOException) { return full; }
    }

    private static string ResolveParents(string dir)
    {
        var parent = Path.GetDirectoryName(dir);
        if (parent is null) return dir;
        var resolvedParent = ResolveParents(new DirectoryInfo(parent).ResolveLinkTarget(true)?.FullName ?? parent);
        return Path.Combine(resolvedParent, Path.GetFileName(dir));
    }

    // cfitsio's "[compress ...]" suffix selects tile compression; it is not part of the file name.
    private static string StripCfitsioSuffix(string path)
    {
        int open = path.LastIndexOf('[');
        return open > 0 && path.EndsWith(']') && path[(open + 1)..].StartsWith("compress", StringComparison.OrdinalIgnoreCase) ? path[..open] : path;
    }
}
