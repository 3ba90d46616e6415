using System.Text;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;
using Scorpio.Models;
using Scorpio.Posterior;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Fuzz;

/// <summary>One kind of input: how a case's mutated file is made in its folder and which readers take it.</summary>
/// <param name="Kind">the name in reports (fits-header, npy, config, ...).</param>
/// <param name="Weight">its share of a campaign's cases.</param>
/// <param name="Prepare">writes the case's files into its folder from the corpus; returns the mutated file.</param>
/// <param name="Read">feeds the case to the readers; returns the CLI's stderr for CLI cases (null in-process).</param>
public sealed record FuzzTarget(string Kind, double Weight, Func<FuzzCorpus, string, Random, string> Prepare, Func<FuzzCorpus, string, string, FuzzOutcome?> Read);

/// <summary>The result of a case run through the CLI: its exit code and standard error.</summary>
public sealed record FuzzOutcome(int ExitCode, string Stderr);

/// <summary>The input kinds of issue 18's fuzzing, each fed to the readers the commands use.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All(bool withCli = true)
    {
        var list = new List<FuzzTarget>
        {
            new("fits-header", 20, (c, dir, rng) => Write(dir, "case.fits", Pick(c.Fits, rng) is var s && rng.Next(5) < 3 ? Mutator.FitsCards(s, rng) : Mutator.Bytes(s, rng)), ReadFits),
            new("fits-data", 10, (c, dir, rng) => Write(dir, "case.fits", Mutator.Bytes(Pick(c.Fits, rng), rng, from: 2880)), ReadFits),
            new("fits-compressed", 15, (c, dir, rng) => Write(dir, "case.fits", Pick(c.CompressedFits, rng) is var s && rng.Next(2) == 0 ? Mutator.FitsCards(s, rng) : Mutator.Bytes(s, rng)), ReadFits),
            new("npy-header", 12, (c, dir, rng) => Write(dir, "case.npy", NpyHeader(Pick(c.Npy, rng), rng)), ReadNpy),
            new("safetensors-header", 12, (c, dir, rng) => Write(dir, "case.safetensors", Mutator.Safetensors(Pick(c.Safetensors, rng), rng, offsets: false)), ReadSafetensors),
            new("safetensors-offsets", 10, (c, dir, rng) => Write(dir, "case.safetensors", Mutator.Safetensors(Pick(c.Safetensors, rng), rng, offsets: true)), ReadSafetensors),
            new("config", 8, PrepareConfig, (c, dir, file) => { using var m = ScoreModel.Load(Path.GetDirectoryName(file)!, Device.CPU); return null; }),
            new("problem", 10, PrepareProblem, ReadProblem),
            new("pt", 8, (c, dir, rng) => Write(dir, "case.pt", Mutator.Pt(Pick(c.Pt, rng), rng)), ReadPt),
        };
        if (withCli) list.Add(new("cli-sample", 3, PrepareCliRun, ReadCliSample));
        return list;
    }

    private static byte[] Pick(List<byte[]> seeds, Random rng) => seeds[rng.Next(seeds.Count)];

    private static string Write(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FuzzOutcome? ReadFits(FuzzCorpus c, string dir, string file)
    {
        var (image, _) = FitsFile.ReadWithHeader(file);
        if (image.Length != image.Shape.Aggregate(1L, (a, s) => a * s)) throw new InvalidOperationException($"shape {string.Join("x", image.Shape)} does not match {image.Length} pixels");
        DataStats.Describe(file);
        return null;
    }

    private static FuzzOutcome? ReadNpy(FuzzCorpus c, string dir, string file)
    {
        NpyFile.Read(file);
        DataStats.Describe(file);
        return null;
    }

    // The restricted unpickler and ZIP reader of score_models checkpoints (scorpio import).
    private static FuzzOutcome? ReadPt(FuzzCorpus c, string dir, string file)
    {
        using var contents = Scorpio.Torch.Serialization.PtFile.Load(file);
        return null;
    }

    private static FuzzOutcome? ReadSafetensors(FuzzCorpus c, string dir, string file)
    {
        Safetensors.LoadMetadata(file);
        var (tensors, _) = RunFolder.ReadVerified(file);
        foreach (var t in tensors.Values) t.Dispose();
        return null;
    }

    // Header dictionary edits: odd shape entries, dtypes and byte orders, with the length field kept or broken.
    private static byte[] NpyHeader(byte[] seed, Random rng)
    {
        if (rng.Next(3) == 0) return Mutator.Bytes(seed, rng);
        int len = seed[8] | (seed[9] << 8);
        string dict = Encoding.Latin1.GetString(seed, 10, len);
        string[] shapes = ["()", "(0,)", "(-1, 4)", "(4294967296,)", "(2147483647, 2147483647)", "(3, 'a')", "(2, 3, 4, 5, 6, 7, 8, 9)", "(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)", "(24)", "(100, 100)"];
        string[] descrs = ["<f4", ">f8", "|u1", "<i8", "<c8", "<U4", "|O", "f4", "<f2", "<f4\x00"];
        dict = rng.Next(3) switch
        {
            0 => System.Text.RegularExpressions.Regex.Replace(dict, @"'shape': \([^)]*\)", "'shape': " + shapes[rng.Next(shapes.Length)]),
            1 => System.Text.RegularExpressions.Regex.Replace(dict, @"'descr': '[^']*'", "'descr': '" + descrs[rng.Next(descrs.Length)] + "'"),
            _ => dict.Replace("False", rng.Next(2) == 0 ? "True" : "Flase"),
        };
        var head = Encoding.Latin1.GetBytes(dict);
        int newLen = rng.Next(4) == 0 ? len : head.Length;
        var bytes = new List<byte>(seed[..8]) { (byte)(newLen & 0xff), (byte)(newLen >> 8) };
        bytes.AddRange(head);
        bytes.AddRange(seed[(10 + len)..]);
        return bytes.ToArray();
    }

    // A run folder whose config.json is mutated (model.safetensors intact).
    private static string PrepareConfig(FuzzCorpus c, string dir, Random rng)
    {
        string run = CopyRun(c, dir);
        return Write(run, "config.json", Mutator.Json(File.ReadAllBytes(Path.Combine(c.Run, "config.json")), rng));
    }

    // A run folder with config.json or model.safetensors mutated, for `scorpio sample`.
    private static string PrepareCliRun(FuzzCorpus c, string dir, Random rng)
    {
        string run = CopyRun(c, dir);
        return rng.Next(2) == 0
            ? Write(run, "config.json", Mutator.Json(File.ReadAllBytes(Path.Combine(c.Run, "config.json")), rng))
            : Write(run, "model.safetensors", Mutator.Safetensors(File.ReadAllBytes(Path.Combine(c.Run, "model.safetensors")), rng, offsets: rng.Next(2) == 0));
    }

    private static string CopyRun(FuzzCorpus c, string dir)
    {
        string run = Path.Combine(dir, "run");
        Directory.CreateDirectory(run);
        foreach (var f in new[] { "config.json", "model.safetensors" }) File.Copy(Path.Combine(c.Run, f), Path.Combine(run, f), overwrite: true);
        return run;
    }

    private static FuzzOutcome? ReadCliSample(FuzzCorpus c, string dir, string file)
    {
        string run = Path.GetDirectoryName(file)!;
        var stderr = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(stderr);
        try
        {
            int rc = Cli.ScorpioCli.Run("sample", "--model", run, "--n", "1", "--steps", "2", "--out", Path.Combine(dir, "samples.fits"), "--overwrite", "--threads", "1", "--device", "cpu");
            return new FuzzOutcome(rc, stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    // The problem folder with one of its files mutated: the problem file itself, or its observation, PSF, mask or sigma map.
    private static string PrepareProblem(FuzzCorpus c, string dir, Random rng)
    {
        foreach (var f in FuzzCorpus.ProblemFiles) File.Copy(Path.Combine(c.Problem, f), Path.Combine(dir, f), overwrite: true);
        string name = rng.Next(2) == 0 ? "problem.json" : FuzzCorpus.ProblemFiles[1 + rng.Next(4)];
        var seed = File.ReadAllBytes(Path.Combine(c.Problem, name));
        var bytes = name.EndsWith(".json") ? Mutator.Json(seed, rng) : rng.Next(2) == 0 ? Mutator.FitsCards(seed, rng) : Mutator.Bytes(seed, rng);
        return Write(dir, name, bytes);
    }

    private static FuzzOutcome? ReadProblem(FuzzCorpus c, string dir, string file)
    {
        var spec = ProblemFile.Read(Path.Combine(dir, "problem.json"));
        InverseProblemBuilder.Check(spec);
        using var problem = InverseProblemBuilder.Build(spec, c.Prior, Device.CPU);
        return null;
    }
}
