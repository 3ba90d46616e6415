using System.Diagnostics;
using System.Text.Json.Nodes;
using Scorpio.Astro.Fits;
using Scorpio.Catalogues;

namespace Scorpio.Bench.Soak;

/// <summary>
/// Kill -9 of sharded posterior runs (issue 18: "the same for sharded posterior runs"): a 32-stamp catalogue posterior
/// through a tiny prior, run as shards 0/2 and 1/2 into one folder, is killed with SIGKILL 20 times (alternating shards; half
/// the kills the instant an object's partial folder exists, half at a random moment of the run) and re-run after each kill,
/// then both shards run to the end and `scorpio merge` assembles them. After every kill each finished object folder must
/// hold readable products; at the end the merged products must equal an uninterrupted unsharded run's bit for bit, with
/// every object once, no partial folder and no error record left. Writes bench/results/kill-catalogue.json.
/// </summary>
internal static class CatalogueKillSoak
{
    private static readonly string[] Products = ["samples.fits", "mean.fits", "median.fits", "std.fits", "p16.fits", "p84.fits", "residual.fits"];

    public static int Run(string[] argv)
    {
        var a = new SoakArgs(argv);
        int kills = (int)a.Long("--kills", 20), count = (int)a.Long("--objects", 32);
        string outPath = a.Get("--out", "bench/results/kill-catalogue.json");
        string work = Path.GetFullPath(a.Get("--work", Path.Combine(Path.GetTempPath(), "scorpio-kill-catalogue-soak")));
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var rng = new Random((int)a.Long("--seed", 18));
        var clock = Stopwatch.StartNew();
        string P(string f) => Path.Combine(work, f);
        void Ok(string[] args)
        {
            var (exit, err) = KillSoak.RunScorpio(args);
            if (exit != 0) throw new InvalidOperationException($"scorpio {string.Join(" ", args)} failed (exit {exit}): {err}");
        }

        Ok(["simulate", "galaxies", "--n", "64", "--size", "16", "--out", P("train.fits"), "--seed", "1"]);
        Ok(["train", "--data", P("train.fits"), "--out", P("prior"), "--preset", "tiny", "--steps", "4", "--batch", "8", "--threads", "1", "--device", "cpu"]);
        Ok(["simulate", "galaxies", "--n", count.ToString(), "--size", "16", "--out", P("truth.fits"), "--seed", "2"]);
        Ok(["simulate", "psf", "--model", "gaussian", "--fwhm", "2", "--size", "7", "--out", P("psf.fits")]);
        Ok(["simulate", "observe", "--image", P("truth.fits"), "--psf", P("psf.fits"), "--sigma", "0.05", "--out", P("obs.fits"), "--seed", "3"]);
        string[] Posterior(string outDir, string? shard) =>
            ["posterior", "--prior", P("prior"), "--catalogue", P("obs.fits"), "--psf", P("psf.fits"), "--sigma", "0.05", "--method", "score",
             "--steps", "16", "--n", "2", "--prior-samples", "0", "--out", P(outDir), "--seed", "5", "--threads", "1", "--device", "cpu",
             .. shard is null ? Array.Empty<string>() : ["--shard", shard]];

        var refClock = Stopwatch.StartNew();
        Ok(Posterior("reference", null));
        double refSeconds = refClock.Elapsed.TotalSeconds;
        Ok(["merge", P("reference"), "--samples"]);

        string run = P("run"), objects = Path.Combine(run, CatalogueJob.ObjectsFolder);
        var events = new JsonArray();
        int unreadable = 0;
        for (int i = 0; i < kills; i++)
        {
            string shard = $"{i % 2}/2", mode = i % 4 < 2 ? "object-write" : "random";
            int before = Finished(objects).Count;
            var p = KillSoak.Start(Posterior("run", shard));
            var started = Stopwatch.StartNew();
            double delay = rng.NextDouble() * refSeconds / 2;
            bool killed = false;
            string during = "(the shard had finished)";
            while (!p.HasExited && started.Elapsed.TotalSeconds < 120)
            {
                bool partial = Directory.Exists(objects) && Directory.EnumerateDirectories(objects, ".*").Any();
                if (mode == "object-write" ? partial && Finished(objects).Count > before : started.Elapsed.TotalSeconds >= delay)
                {
                    try { p.Kill(); killed = true; } catch (InvalidOperationException) { }
                    during = partial ? "an object's write (partial folder present)" : "between objects or start-up";
                    break;
                }
                Thread.Sleep(1);
            }
            p.WaitForExit();
            var bad = Finished(objects).Where(o => !Readable(o)).Select(Path.GetFileName).ToList();
            unreadable += bad.Count;
            events.Add(new JsonObject
            {
                ["kill"] = i + 1, ["shard"] = shard, ["mode"] = mode, ["killed"] = killed, ["killed_during"] = during,
                ["killed_at_seconds"] = Math.Round(started.Elapsed.TotalSeconds, 3), ["finished_objects"] = Finished(objects).Count,
                ["partial_folders"] = Directory.Exists(objects) ? Directory.EnumerateDirectories(objects, ".*").Count() : 0,
                ["unreadable_objects"] = new JsonArray(bad.Select(b => (JsonNode?)b).ToArray()),
            });
            Console.Error.WriteLine($"kill {i + 1}/{kills}: shard {shard}, {mode}, {during}, {Finished(objects).Count} objects finished");
        }
        Ok(Posterior("run", "0/2"));
        Ok(Posterior("run", "1/2"));
        Ok(["merge", run, "--samples"]);

        var differing = Products.Where(f => !SameData(Path.Combine(P("reference"), "merged", f), Path.Combine(run, "merged", f))).ToList();
        bool sameObjects = File.ReadAllText(Path.Combine(P("reference"), "merged", "objects.csv")) == File.ReadAllText(Path.Combine(run, "merged", "objects.csv"));
        var partials = Directory.EnumerateDirectories(objects, ".*").Select(Path.GetFileName).ToList();
        var errors = Directory.EnumerateFiles(objects, "*.error").Select(Path.GetFileName).ToList();
        int finished = Finished(objects).Count;
        var json = new JsonObject
        {
            ["benchmark"] = "kill-catalogue",
            ["issue"] = 18,
            ["command"] = $"dotnet run -c Release --project bench/soak -- kill-catalogue --kills {kills} --objects {count}",
            ["kills"] = kills,
            ["objects"] = count,
            ["shards"] = 2,
            ["merged_bit_identical_to_unsharded_uninterrupted_run"] = differing.Count == 0 && sameObjects,
            ["differing_products"] = new JsonArray(differing.Select(d => (JsonNode?)d).ToArray()),
            ["finished_objects"] = finished,
            ["unreadable_objects_after_kills"] = unreadable,
            ["partial_folders_left"] = new JsonArray(partials.Select(d => (JsonNode?)d).ToArray()),
            ["error_records_left"] = new JsonArray(errors.Select(d => (JsonNode?)d).ToArray()),
            ["kills_during"] = new JsonObject(events.GroupBy(e => e!["killed_during"]!.GetValue<string>()).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
            ["events"] = events,
            ["reference_seconds"] = Math.Round(refSeconds, 1),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["cpu"] = BenchMachine.CpuModel(),
            ["load_average"] = BenchMachine.LoadAverage(),
        };
        BenchMachine.WriteJson(outPath, json);
        bool ok = differing.Count == 0 && sameObjects && finished == count && unreadable == 0 && partials.Count == 0 && errors.Count == 0;
        Console.WriteLine(ok ? "catalogue kill soak: passed" : "catalogue kill soak: FAILED");
        return ok ? 0 : 1;
    }

    private static List<string> Finished(string objects) => Directory.Exists(objects)
        ? Directory.EnumerateDirectories(objects).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList()
        : [];

    // A finished object's folder holds every product, each a readable FITS file.
    private static bool Readable(string folder)
    {
        try
        {
            foreach (var f in Products) FitsFile.Read(Path.Combine(folder, f));
            return true;
        }
        catch (Exception) { return false; }
    }

    private static bool SameData(string a, string b)
    {
        var (x, y) = (FitsFile.Read(a), FitsFile.Read(b));
        return x.Shape.SequenceEqual(y.Shape) && x.Data.Select(BitConverter.SingleToInt32Bits).SequenceEqual(y.Data.Select(BitConverter.SingleToInt32Bits));
    }
}
