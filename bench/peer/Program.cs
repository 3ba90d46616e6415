using static Scorpio.Bench.BenchMachine;
using System.Text.Json.Nodes;
using Scorpio.Bench.Peer;

// Side-by-side benchmark against score_models' own code (issue 15). Each case runs Scorpio and score_models in two
// child processes with the same environment, threads and BLAS, alternating their iterations round by round (the order
// flips every round) so that a change of machine load hits both alike; it reports min and median of both, their ratio
// (Scorpio / score_models: below 1 = Scorpio faster), parameter and FLOP counts of both networks and peak memory, and
// writes bench/results/peer-CASE-SIZE.json. `report` renders the README's table from those files (`report --check`
// fails when the README is out of date).
//
// Run from the repository root:
//   SCORE_MODELS_PATH=/path/to/score_models dotnet run -c Release --project bench/peer -- [--cases a,b] [--sizes 32,64]
//       [--batch 16] [--threads 2] [--rounds 3] [--warmup 1] [--wait-policy passive|default] [--ddpm-preset NAME]
//   dotnet run -c Release --project bench/peer -- report [--check]
// Without SCORE_MODELS_PATH the benchmark prints a notice and exits 0 (score_models is never part of this repository).

if (args.Length > 0 && args[0] == "serve") return ScorpioServe.Run(int.Parse(args[1]));
if (args.Length > 0 && args[0] == "report")
{
    string root = RepoRoot();
    bool check = args.Contains("--check");
    return PeerReport.Update(Path.Combine(root, "README.md"), Path.Combine(root, "bench", "results"), check, Console.Error);
}

string[] cases = ["ncsnpp-forward", "ncsnpp-train", "ddpm-forward", "sample", "posterior"];
int[] sizes = [32, 64];
int batch = 16, threads = 2, rounds = 3, warmup = 1, evaluations = 100;
string waitPolicy = "passive", ddpmPreset = "ddpm-ho-paper", outDir = "bench/results", python = "/usr/bin/python3";
for (int k = 0; k < args.Length; k++)
{
    switch (args[k])
    {
        case "--cases": cases = args[++k].Split(','); break;
        case "--sizes": sizes = args[++k].Split(',').Select(int.Parse).ToArray(); break;
        case "--batch": batch = int.Parse(args[++k]); break;
        case "--threads": threads = int.Parse(args[++k]); break;
        case "--rounds": rounds = int.Parse(args[++k]); break;
        case "--warmup": warmup = int.Parse(args[++k]); break;
        case "--evaluations": evaluations = int.Parse(args[++k]); break;
        case "--wait-policy": waitPolicy = args[++k]; break;
        case "--ddpm-preset": ddpmPreset = args[++k]; break;
        case "--out-dir": outDir = args[++k]; break;
        case "--python": python = args[++k]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[k]}'. Options: --cases {string.Join(",", cases)} --sizes 32,64 --batch N --threads N " +
                "--rounds N --warmup N --evaluations N --wait-policy passive|default --ddpm-preset NAME --out-dir DIR --python PATH; or: report [--check]");
            return 2;
    }
}

string? smPath = Environment.GetEnvironmentVariable("SCORE_MODELS_PATH");
if (string.IsNullOrEmpty(smPath) || !Directory.Exists(Path.Combine(smPath, "score_models")))
{
    Console.Error.WriteLine("bench/peer skipped: set SCORE_MODELS_PATH to a checkout of score_models (the folder holding the score_models " +
        "package) and install Debian's python3-torch, python3-scipy and python3-tqdm; see bench/peer/README.md.");
    return 0;
}
if (waitPolicy is not ("passive" or "default")) { Console.Error.WriteLine("--wait-policy: passive (both sides) or default (each side's own)"); return 2; }

var bench = new PeerBench(new PeerSettings(smPath, python, threads, batch, rounds, warmup, evaluations, waitPolicy, ddpmPreset,
    Path.GetFullPath(outDir)));
foreach (var size in sizes)
    foreach (var name in cases)
    {
        Console.Error.WriteLine($"== {name} {size}x{size} (load {LoadAverage()})");
        var result = bench.Run(name, size);
        WriteJson(Path.Combine(outDir, $"peer-{name}-{size}.json"), result);
        Console.Error.WriteLine($"   ratio {result["ratio_median"]} (goal {result["goal"]})");
    }
return 0;
