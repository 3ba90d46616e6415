using System.Text;
using System.Text.RegularExpressions;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;

namespace Scorpio.Cli.Tests;

/// <summary>
/// Issue 18's table of bad inputs: each is run through the CLI (in this process) and must give one line, <c>error: ...</c>,
/// exit code 2, naming the file or flag at fault (no stack trace, no internal error). The table of inputs and messages is
/// docs/troubleshooting.md, generated here: the test fails when the committed document differs from what the commands now
/// print (run with SCORPIO_UPDATE_DOCS=1 to rewrite it).
/// </summary>
public class TroubleshootingTests
{
    private sealed record BadInput(string What, string Expect, Func<string, string[]> Args, string? Fix = null);

    private static string Write(string dir, string name, string text) { File.WriteAllText(Path.Combine(dir, name), text); return Path.Combine(dir, name); }

    private static string Fits(string dir, string name, params string[] cards)
    {
        var h = string.Concat(cards.Append("END").Select(c => c.PadRight(80)));
        var bytes = Encoding.Latin1.GetBytes(h.PadRight((h.Length + 2879) / 2880 * 2880)).Concat(new byte[2880]).ToArray();
        File.WriteAllBytes(Path.Combine(dir, name), bytes);
        return Path.Combine(dir, name);
    }

    private static string Image(string dir, string name, float value, int h = 16, int w = 16)
    {
        FitsFile.Write(Path.Combine(dir, name), new Scorpio.Astro.ImageData(Enumerable.Repeat(value, h * w).ToArray(), h, w));
        return Path.Combine(dir, name);
    }

    private static string CopyRun(string work, string name)
    {
        string to = Path.Combine(work, name);
        Directory.CreateDirectory(to);
        foreach (var f in new[] { "config.json", "model.safetensors", "checkpoint.safetensors", "loss.csv" }) File.Copy(Path.Combine(work, "run", f), Path.Combine(to, f));
        return to;
    }

    private static string EditConfig(string run, Func<string, string> edit)
    {
        string path = Path.Combine(run, "config.json");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
        return path;
    }

    private static byte[] SafetensorsHeaderEdit(byte[] file, Func<byte[], byte[]> edit, bool keepLength = false)
    {
        int n = (int)BitConverter.ToUInt64(file, 0);
        var header = edit(file[8..(8 + n)]);
        return [.. BitConverter.GetBytes((ulong)(keepLength ? n : header.Length)), .. header, .. file[(8 + n)..]];
    }

    private static readonly BadInput[] Inputs =
    [
        new("FITS header claiming 2^62 planes (NAXIS3 = 4611686018427387904)", "declares", w => ["data", "stats", Fits(w, "huge.fits", "SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    3", "NAXIS1  =                   16", "NAXIS2  =                   16", "NAXIS3  =  4611686018427387904")]),
        new("FITS header claiming 2^40 pixels, as the observation of a posterior", "obs.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Fits(w, "obs.fits", "SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2", "NAXIS1  =              1048576", "NAXIS2  =              1048576"), "--sigma", "0.1", "--out", Path.Combine(w, "post")]),
        new("FITS header whose NAXIS1 holds control bytes (cfitsio quotes the card)", "bytes.fits", w => ["data", "stats", Fits(w, "bytes.fits", "SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2", "NAXIS1  = 1\n\u001b[2J\u001b[31m", "NAXIS2  =                    4")]),
        new("FITS file cut short inside its data", "cut.fits", w => { var p = Image(w, "cut.fits", 1f, 64, 64); File.WriteAllBytes(p, File.ReadAllBytes(p)[..6000]); return ["data", "stats", p]; }),
        new("tile-compressed FITS with ZTILE1 = 0", "tile.fits", w => { var p = Path.Combine(w, "tile.fits"); FitsFile.Write(p + "[compress R]", new Scorpio.Astro.ImageData(new float[64], 8, 8), null, 16); var b = File.ReadAllBytes(p); var s = Encoding.Latin1.GetString(b); int i = s.IndexOf("ZTILE1  ="); Encoding.Latin1.GetBytes("ZTILE1  =                    0".PadRight(80), 0, 80, b, i); File.WriteAllBytes(p, b); return ["data", "stats", p]; }),
        new(".npy header with a shape beyond the file", "shape.npy", w => { var p = Path.Combine(w, "shape.npy"); Scorpio.Astro.Npy.NpyFile.Write(p, new Scorpio.Astro.ImageData(new float[4], 2, 2)); var b = File.ReadAllBytes(p); var s = Encoding.Latin1.GetString(b).Replace("(2, 2)", "(9, 9)"); File.WriteAllBytes(p, Encoding.Latin1.GetBytes(s)); return ["data", "stats", p]; }),
        new(".npy file with a broken magic string", "magic.npy", w => ["data", "stats", Write(w, "magic.npy", "NUMPY? not really")]),
        new("model.safetensors whose header is not UTF-8", "model.safetensors", w => { var r = CopyRun(w, "run-utf8"); var p = Path.Combine(r, "model.safetensors"); File.WriteAllBytes(p, SafetensorsHeaderEdit(File.ReadAllBytes(p), h => { var t = (byte[])h.Clone(); int i = Encoding.ASCII.GetString(t).IndexOf("F32", StringComparison.Ordinal); t[i + 1] = 0xff; return t; })); return ["sample", "--model", r, "--n", "1", "--out", Path.Combine(w, "s.fits")]; }),
        new("model.safetensors with data_offsets beyond the file", "model.safetensors", w => { var r = CopyRun(w, "run-offsets"); var p = Path.Combine(r, "model.safetensors"); File.WriteAllBytes(p, File.ReadAllBytes(p)[..^4096]); return ["sample", "--model", r, "--n", "1", "--out", Path.Combine(w, "s.fits")]; }),
        new("checkpoint.safetensors with a flipped data byte", "checkpoint.safetensors", w => { var r = CopyRun(w, "run-flip"); var p = Path.Combine(r, "checkpoint.safetensors"); var b = File.ReadAllBytes(p); b[^100] ^= 0x40; File.WriteAllBytes(p, b); return ["train", "--out", r, "--resume", "--steps", "3"]; }),
        new("config.json of a VE run without sde.sigmaMax", "config.json", w => { var r = CopyRun(w, "run-sigmamax"); EditConfig(r, t => Regex.Replace(t, "\"sigmaMax\": [^,\\n]+", "\"sigmaMax\": null")); return ["sample", "--model", r, "--n", "1", "--out", Path.Combine(w, "s.fits")]; }),
        new("config.json that is not JSON", "config.json", w => { var r = CopyRun(w, "run-json"); EditConfig(r, t => t[..(t.Length / 2)]); return ["sample", "--model", r, "--n", "1", "--out", Path.Combine(w, "s.fits")]; }),
        new("--config with training.batch = 0", "batch.json", w => ["train", "--config", Write(w, "batch.json", "{ \"training\": { \"batch\": 0 } }"), "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r")]),
        new("--config with sde.sigmaMin above sde.sigmaMax", "sigmas.json", w => ["train", "--config", Write(w, "sigmas.json", "{ \"sde\": { \"sigmaMin\": 5, \"sigmaMax\": 1 } }"), "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r")]),
        new("--config with network.dropout = 1e30", "dropout.json", w => ["train", "--config", Write(w, "dropout.json", "{ \"network\": { \"dropout\": 1e30 } }"), "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r")]),
        new("--config with an unknown schedule name", "schedule.json", w => ["train", "--config", Write(w, "schedule.json", "{ \"sde\": { \"name\": \"ddpm\", \"schedule\": \"warp\" } }"), "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r")]),
        new("--config with an unknown key", "typo.json", w => ["train", "--config", Write(w, "typo.json", "{ \"training\": { \"lrr\": 0.1 } }"), "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r")]),
        new("--batch 0 on the command line", "--batch", w => ["train", "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "r"), "--batch", "0"]),
        new("an unknown option", "--stepz", w => ["sample", "--model", Path.Combine(w, "run"), "--n", "1", "--out", Path.Combine(w, "s.fits"), "--stepz", "3"]),
        new("training images with NaN pixels", "nan.fits", w => ["train", "--data", Image(w, "nan.fits", float.NaN), "--out", Path.Combine(w, "r")]),
        new("an all-zero sigma map", "zero.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Path.Combine(w, "obs16.fits"), "--sigma-map", Image(w, "zero.fits", 0f), "--out", Path.Combine(w, "post")]),
        new("a negative sigma map", "negative.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Path.Combine(w, "obs16.fits"), "--sigma-map", Image(w, "negative.fits", -0.02f), "--out", Path.Combine(w, "post")]),
        new("a PSF with NaN pixels", "nanpsf.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Path.Combine(w, "obs16.fits"), "--sigma", "0.02", "--psf", Image(w, "nanpsf.fits", float.NaN, 7, 7), "--out", Path.Combine(w, "post")]),
        new("an observation with no finite pixel", "allnan.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Image(w, "allnan.fits", float.NaN), "--sigma", "0.02", "--out", Path.Combine(w, "post")]),
        new("a problem file with a non-finite number", "problem.json", w => ["posterior", "--prior", Path.Combine(w, "run"), "--problem", Write(w, "problem.json", "{ \"exposures\": [ { \"obs\": \"obs16.fits\", \"sigma\": 1e999 } ] }"), "--out", Path.Combine(w, "post")]),
        new("a problem file naming a missing observation", "missing.fits", w => ["posterior", "--prior", Path.Combine(w, "run"), "--problem", Write(w, "problem2.json", "{ \"exposures\": [ { \"obs\": \"missing.fits\", \"sigma\": 0.02 } ] }"), "--out", Path.Combine(w, "post")]),
        new("`sample --out RUN/model.safetensors` (the run's own weights)", "model.safetensors", w => ["sample", "--model", Path.Combine(w, "run"), "--n", "1", "--out", Path.Combine(w, "run", "model.safetensors"), "--overwrite"]),
        new("`sample --out` onto an existing file", "--overwrite", w => ["sample", "--model", Path.Combine(w, "run"), "--n", "1", "--out", Path.Combine(w, "g.fits")]),
        new("`posterior --out` onto a folder holding an earlier run", "--overwrite", w => { var d = Path.Combine(w, "old-post"); Directory.CreateDirectory(d); File.WriteAllText(Path.Combine(d, "summary.json"), "{}"); return ["posterior", "--prior", Path.Combine(w, "run"), "--obs", Path.Combine(w, "obs16.fits"), "--sigma", "0.02", "--out", d]; }),
        new("an output that is also an input, even with --overwrite", "would replace the input", w => ["simulate", "observe", "--image", Path.Combine(w, "obs16.fits"), "--sigma", "0.1", "--out", Path.Combine(w, "obs16.fits"), "--overwrite"]),
        new("`train --out` onto an existing file", "is a file", w => ["train", "--data", Path.Combine(w, "g.fits"), "--out", Path.Combine(w, "g.fits")]),
        new("`train` on a run folder another process is training", "in use by", w => { var r = CopyRun(w, "run-busy"); Held = FolderLock.Acquire(r); return ["train", "--out", r, "--resume", "--steps", "9"]; }),
        new("`train --resume` on a folder that holds no run", "not found", w => ["train", "--out", Path.Combine(w, "nothing-here"), "--resume"]),
    ];

    private static FolderLock? Held;

    [Fact]
    public void EveryBadInputGivesOneLineNamingTheFileOrFlagAndTheDocumentIsInSync()
    {
        var work = Scorpio.Tests.TestPaths.TempDir("troubleshooting");
        Assert.Equal(0, Run(["simulate", "galaxies", "--n", "8", "--size", "16", "--out", Path.Combine(work, "g.fits")]).Code);
        Assert.Equal(0, Run(["train", "--data", Path.Combine(work, "g.fits"), "--out", Path.Combine(work, "run"), "--preset", "tiny", "--steps", "2", "--batch", "4"]).Code);
        Image(work, "obs16.fits", 0.5f);
        var rows = new List<string>();
        var problems = new List<string>();
        foreach (var input in Inputs)
        {
            var args = input.Args(work);
            var (code, stderr) = Run([.. args, "--threads", "1"]);
            Held?.Dispose();
            Held = null;
            string message = stderr.TrimEnd('\n');
            if (code != 2) problems.Add($"{input.What}: exit {code}, expected 2: {message}");
            if (message.Contains('\n')) problems.Add($"{input.What}: more than one line: {message}");
            if (!message.StartsWith("error: ")) problems.Add($"{input.What}: does not start with 'error: ': {message}");
            if (!message.Contains(input.Expect)) problems.Add($"{input.What}: does not mention '{input.Expect}': {message}");
            if (message.Contains("internal error") || message.Contains("   at ")) problems.Add($"{input.What}: internal error or stack trace: {message}");
            string command = "scorpio " + string.Join(" ", args.Select(a => Shorten(a, work)));
            rows.Add($"| {input.What} | `{command}` | {Escape(Shorten(message, work))} |");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        string doc = Document(rows);
        string path = Path.Combine(Scorpio.Tests.TestPaths.RepoRoot, "docs", "troubleshooting.md");
        if (Environment.GetEnvironmentVariable("SCORPIO_UPDATE_DOCS") == "1") File.WriteAllText(path, doc);
        Assert.True(File.Exists(path) && File.ReadAllText(path) == doc,
            "docs/troubleshooting.md is out of date: run SCORPIO_UPDATE_DOCS=1 dotnet test tests/Scorpio.Cli.Tests --filter TroubleshootingTests and commit it");
    }

    private static (int Code, string Stderr) Run(string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var err = new StringWriter();
        Console.SetOut(TextWriter.Null);
        Console.SetError(err);
        try { return (ScorpioCli.Run(args), err.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    // Stable text for the document: the temporary folder, pids, hosts and times replaced by placeholders.
    private static string Shorten(string text, string work)
    {
        text = text.Replace(Path.GetFullPath(work), "WORK").Replace(work, "WORK");
        text = Regex.Replace(text, @"pid \d+ on host \S+ \(since [^)]*\)", "pid PID on host HOST (since TIME)");
        return text.Replace("\n", "\\n").Replace("\u001b", "\\e");
    }

    private static string Escape(string s) => s.Replace("|", "\\|");

    private static string Document(List<string> rows) =>
        "# Troubleshooting: what Scorpio says about bad input\n\n" +
        "<!-- Generated by tests/Scorpio.Cli.Tests/TroubleshootingTests.cs (SCORPIO_UPDATE_DOCS=1 rewrites it); the test fails when a message changes. -->\n\n" +
        "Every command reports a problem with its input as one line, `error: ...`, naming the file or flag at fault and the fix, and exits " +
        "with code 2; a bug in Scorpio is `internal error: ...` with exit code 70. `SCORPIO_DEBUG=1` adds the stack trace to either. " +
        "Nothing already written is lost: outputs are written to a temporary name and renamed, an existing output is replaced only " +
        "with `--overwrite`, and never an input or a training run's own files (config.json, model.safetensors, checkpoint.safetensors, " +
        "loss.csv, noise_model.json).\n\n" +
        "Interrupted and failed runs:\n\n" +
        "- A training run folder is locked (`.scorpio.lock`, holding the pid and host) while a process trains it; a second process is " +
        "refused, and a lock left by a killed process is taken over. A run killed at any moment resumes with `scorpio train --out RUN --resume` " +
        "(also before its first checkpoint) to the same weights as an uninterrupted run (bench/results/kill.json); temporary files of an " +
        "interrupted write are removed when it resumes.\n" +
        "- A full disk stops the run with `error: the disk is full: writing FILE failed (N free on the file system holding DIR); ...`: " +
        "the previous checkpoint stays intact and resumable. `scorpio sample` keeps unfinished samples in `NAME.partial.fits` " +
        "(header COMPLETE = F) and writes `NAME.fits` only when every sample is done; `posterior`, `inpaint` and `transfer` write " +
        "summary.json last and remove their products when they fail, so a folder without summary.json is incomplete.\n" +
        "- A training loss that turns NaN stops the run (exit 3) with the last good checkpoint kept; posterior samples holding NaN are " +
        "a failure and nothing is written.\n\n" +
        "The bad inputs below are run by the test suite on every `make test` (`WORK` is its temporary folder):\n\n" +
        "| bad input | command | what Scorpio says |\n|---|---|---|\n" +
        string.Join("\n", rows) + "\n";
}
