using System.Diagnostics;
using Scorpio.Astro;
using Scorpio.Eval;

// scorpio-eval: the science evaluation (issue 9). Usage in eval/README.md; `eval/run --help`.
const string Usage = """
usage: eval/run NAME [NAME...] [--smoke] [--seed N] [--device D] [--threads N] [--out DIR]
       eval/run all [--smoke] ...      every experiment, in order
       eval/run report [--check]       regenerate docs/RESULTS.md from docs/results/*.json (--check: fail if stale)
       eval/run list
Full runs write docs/results/NAME.json and docs/results/NAME/*.png; --smoke runs write to eval/smoke-output/.
""";

var names = new List<string>();
bool smoke = false, check = false;
long seed = 2026;
string device = "cpu";
int threads = 0;
string? outDir = null;
for (int i = 0; i < args.Length; i++)
{
    string a = args[i];
    string Next() => i + 1 < args.Length ? args[++i] : throw new UserInputException($"{a} needs a value");
    switch (a)
    {
        case "--smoke": smoke = true; break;
        case "--check": check = true; break;
        case "--seed": seed = long.Parse(Next()); break;
        case "--device": device = Next(); break;
        case "--threads": threads = int.Parse(Next()); break;
        case "--out": outDir = Next(); break;
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        default:
            if (a.StartsWith('-')) { Console.Error.WriteLine($"error: unknown option {a}\n{Usage}"); return 2; }
            names.Add(a);
            break;
    }
}

string repo = FindRepoRoot();
string resultsDir = Path.Combine(repo, "docs", "results");
try
{
    if (names.Count == 0) { Console.WriteLine(Usage); return 2; }
    if (names[0] == "list")
    {
        foreach (var e in ExperimentCatalog.All) Console.WriteLine($"{e.Name,-16} {e.Title}");
        return 0;
    }
    if (names[0] == "report")
    {
        var doc = ResultsDocument.Render(resultsDir);
        var path = Path.Combine(repo, "docs", "RESULTS.md");
        if (check)
        {
            var current = File.Exists(path) ? File.ReadAllText(path) : "";
            if (current != doc)
            {
                Console.Error.WriteLine("error: docs/RESULTS.md is not what docs/results/*.json give; run `eval/run report` and commit it");
                return 1;
            }
            Console.WriteLine("docs/RESULTS.md is in sync with docs/results/*.json");
            return 0;
        }
        Scorpio.Astro.DataTools.AtomicFile.WriteAllText(path, doc);
        Console.WriteLine("wrote " + path);
        return 0;
    }

    var selected = names[0] == "all" ? ExperimentCatalog.All.ToList() : names.Select(ExperimentCatalog.Find).ToList();
    string root = outDir ?? (smoke ? Path.Combine(repo, "eval", "smoke-output") : resultsDir);
    // libtorch's CPU threads, once for every experiment (0 = all cores; libtorch defaults to one thread in containers).
    Scorpio.Torch.torch.NumThreads = threads;
    int failures = 0;
    foreach (var e in selected)
    {
        var ctx = new ExperimentContext
        {
            Name = e.Name, Smoke = smoke, Seed = seed, Device = device, Threads = threads, RepoRoot = repo, OutDir = root,
            FigureDir = Path.Combine(root, e.Name),
            WorkDir = Path.Combine(repo, "eval", "work", (smoke ? "smoke-" : "") + e.Name),
            Log = Console.Out,
        };
        Directory.CreateDirectory(ctx.FigureDir);
        Directory.CreateDirectory(ctx.WorkDir);
        Console.WriteLine($"== {e.Name}: {e.Title}" + (smoke ? " (smoke)" : ""));
        var sw = Stopwatch.StartNew();
        try
        {
            var results = e.Run(ctx);
            var env = ResultFile.Envelope(e, ctx, results, sw.Elapsed);
            ResultFile.Write(ResultFile.PathFor(root, e.Name), env);
            // Rendering the section proves the document can be made from this JSON.
            e.Section(env, e.Name);
            e.Headline(results);
            Console.WriteLine($"== {e.Name}: done in {sw.Elapsed.TotalSeconds:F0} s -> {ResultFile.PathFor(root, e.Name)}");
        }
        catch (Exception ex) when (ex is not UserInputException)
        {
            // One experiment's failure must not hide the others' results under `all`; the stack trace is for
            // developers (SCORPIO_DEBUG=1), the message names the experiment and the step that failed.
            failures++;
            bool debug = Environment.GetEnvironmentVariable("SCORPIO_DEBUG") == "1";
            Console.Error.WriteLine($"error: experiment {e.Name} failed after {sw.Elapsed.TotalSeconds:F0} s: {(debug ? ex.ToString() : ex.Message)}");
            if (!debug) Console.Error.WriteLine("       (SCORPIO_DEBUG=1 shows the stack trace)");
        }
    }
    if (!smoke && outDir == null)
    {
        Scorpio.Astro.DataTools.AtomicFile.WriteAllText(Path.Combine(repo, "docs", "RESULTS.md"), ResultsDocument.Render(resultsDir));
        Console.WriteLine("updated docs/RESULTS.md");
    }
    return failures == 0 ? 0 : 1;
}
catch (UserInputException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

static string FindRepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Makefile")) && Directory.Exists(Path.Combine(d.FullName, "native")))
            return d.FullName;
    return Directory.GetCurrentDirectory();
}
