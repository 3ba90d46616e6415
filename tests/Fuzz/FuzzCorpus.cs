using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Npy;
using Scorpio.Astro.Simulation;
using Scorpio.Data;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Fuzz;

/// <summary>
/// The valid inputs that mutations start from, made fresh in a folder by Scorpio itself: FITS images (float, integer with
/// BZERO and NaN, multi-HDU, tile-compressed Rice/gzip, quantised float), .npy arrays, a tiny trained run (config.json,
/// model.safetensors, checkpoint.safetensors) and a problem file with its observation, PSF, mask and sigma map.
/// </summary>
public sealed class FuzzCorpus : IDisposable
{
    private Models.ScoreModel? _model;

    /// <summary>The tiny run as a prior (loaded once), for problem cases.</summary>
    public Posterior.PriorModel Prior => Posterior.PriorModel.From(_model ??= Models.ScoreModel.Load(Run, Device.CPU), Run);

    public void Dispose() => _model?.Dispose();

    public required string Dir { get; init; }
    public required List<byte[]> Fits { get; init; }
    public required List<byte[]> CompressedFits { get; init; }
    public required List<byte[]> Npy { get; init; }
    public required List<byte[]> Safetensors { get; init; }
    /// <summary>PyTorch state dicts in torch.save's ZIP format (the tiny run's weights, and a mixed-dtype dict).</summary>
    public required List<byte[]> Pt { get; init; }
    /// <summary>The run folder (config.json, model.safetensors) that config and CLI cases copy and mutate.</summary>
    public required string Run { get; init; }
    /// <summary>The problem folder: problem.json, obs.fits, psf.fits, mask.fits, sigma.fits.</summary>
    public required string Problem { get; init; }

    /// <summary>Names of the files in <see cref="Problem"/>, the problem file first.</summary>
    public static readonly string[] ProblemFiles = ["problem.json", "obs.fits", "psf.fits", "mask.fits", "sigma.fits"];

    public static FuzzCorpus Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(1);
        var small = new ImageData(Enumerable.Range(0, 8 * 6).Select(_ => (float)rng.NextDouble() * 100).ToArray(), 8, 6);
        var h = new FitsHeader();
        h.Set("CRPIX1", 3.5);
        h.Set("OBJECT", "fuzz");
        string p = Path.Combine(dir, "seed.fits");
        byte[] Write(Action write) { write(); return File.ReadAllBytes(p); }
        var fits = new List<byte[]>();
        foreach (var bp in new[] { -32, -64, 16, 8, 32 }) fits.Add(Write(() => FitsFile.Write(p, small, h, bp)));
        var hz = new FitsHeader();
        hz.Set("BZERO", 32768.0);
        fits.Add(Write(() => FitsFile.Write(p, new ImageData([0, 65535, float.NaN, 7], 2, 2), hz, 16)));
        fits.Add(Write(() => FitsFile.WriteMulti(p, [(new ImageData([], 0), null, null), (small, h, "SCI"), (small.Reshape(2, 4, 6), null, "CUBE")])));
        var compressed = new List<byte[]>
        {
            Write(() => FitsFile.Write(p + "[compress R]", small, null, 16)),
            Write(() => FitsFile.Write(p + "[compress R]", small, null, -32)),
            Write(() => FitsFile.Write(p + "[compress G]", small, null, 32)),
            Write(() => FitsFile.Write(p + "[compress R]", small.Reshape(2, 4, 6), h, 16)),
        };
        string np = Path.Combine(dir, "seed.npy");
        var a = new ImageData(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var npy = new List<byte[]>();
        foreach (var t in new[] { NpyDType.Float32, NpyDType.Float64, NpyDType.Int16 })
        {
            NpyFile.Write(np, a, t);
            npy.Add(File.ReadAllBytes(np));
        }

        string run = Path.Combine(dir, "run");
        TrainTinyRun(run);
        var folder = new RunFolder(run);
        var safetensors = new List<byte[]> { File.ReadAllBytes(folder.ModelPath), File.ReadAllBytes(folder.CheckpointPath) };

        string pt = Path.Combine(dir, "seed.pt");
        var pts = new List<byte[]>();
        var (weights, _) = RunFolder.ReadVerified(folder.ModelPath);
        try
        {
            Scorpio.Torch.Serialization.PtFile.Save(pt, weights.Take(6));
            pts.Add(File.ReadAllBytes(pt));
        }
        finally { foreach (var t in weights.Values) t.Dispose(); }
        using (var d = torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]))
        using (var l = torch.FromArray(new long[] { 7, 8 }, [2]))
        {
            Scorpio.Torch.Serialization.PtFile.Save(pt, [new("a.weight", d), new("a.steps", l)]);
            pts.Add(File.ReadAllBytes(pt));
        }

        string problem = Path.Combine(dir, "problem");
        Directory.CreateDirectory(problem);
        var truth = new GalaxySimulator(new GalaxySimulatorOptions().ForSize(16)).Simulate(1, 5).Images.Plane(0);
        var obs = new ImageData(truth.Data.Select((v, i) => v + 0.02f * (float)Math.Sin(i * 12.9898)).ToArray(), 16, 16);
        FitsFile.Write(Path.Combine(problem, "obs.fits"), obs, h);
        FitsFile.Write(Path.Combine(problem, "psf.fits"), PsfSimulator.Create(PsfModel.Moffat, 2.5, 7));
        var mask = new ImageData(16, 16);
        mask[3, 4] = 1;
        FitsFile.Write(Path.Combine(problem, "mask.fits"), mask, null, 16);
        var sigma = new ImageData(16, 16);
        Array.Fill(sigma.Data, 0.02f);
        FitsFile.Write(Path.Combine(problem, "sigma.fits"), sigma);
        var json = new JsonObject
        {
            ["covariance"] = "auto",
            ["exposures"] = new JsonArray(new JsonObject
            {
                ["obs"] = "obs.fits", ["mask"] = "mask.fits", ["psf"] = "psf.fits", ["pool"] = 1, ["shift"] = new JsonArray(0.5, -0.25), ["sigmaMap"] = "sigma.fits",
            }),
        };
        File.WriteAllText(Path.Combine(problem, "problem.json"), json.ToJsonString());
        return new FuzzCorpus { Dir = dir, Fits = fits, CompressedFits = compressed, Npy = npy, Safetensors = safetensors, Pt = pts, Run = run, Problem = problem };
    }

    // Two steps of a width-8 network on 16x16 galaxies: every file of a real run, in about a second.
    private static void TrainTinyRun(string run)
    {
        var images = new GalaxySimulator(new GalaxySimulatorOptions().ForSize(16)).Simulate(8, 3).Images;
        using var samples = torch.FromArray(images.Data, [8, 1, 16, 16]);
        using var data = new TrainingDataset(samples, ["(fuzz corpus)"]);
        var config = new RunConfig
        {
            Seed = 1,
            Sde = new SdeConfig { Name = "ve" },
            Network = new NetworkConfig { Width = 8, ChannelMult = [1, 2], AttentionResolutions = [8], ImageSize = 16 },
            Training = new TrainingConfig { Steps = 2, Batch = 4, CheckpointEvery = 2 },
        };
        Trainer.Run(new TrainingOptions { OutDir = run, Config = config, Data = data });
    }
}
