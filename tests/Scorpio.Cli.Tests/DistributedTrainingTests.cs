using System.Diagnostics;
using System.Globalization;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Cli.Tests;

/// <summary>
/// Data-parallel training on 127.0.0.1 with real processes (2 ranks, 1 thread each, a tiny network on 16x16 galaxies):
/// W ranks x B/W rows must follow 1 rank x B, a killed rank must stop the other within the timeout, and a run resumes
/// with another number of processes.
/// </summary>
public sealed class DistributedTrainingTests : IClassFixture<DistributedTrainingTests.Runs>
{
    private readonly Runs _runs;

    public DistributedTrainingTests(Runs runs) => _runs = runs;

    /// <summary>The data and the single-process reference run (6 steps of batch 8), shared by the tests.</summary>
    public sealed class Runs : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("scorpio-ddp").FullName;
        public string Data => Path.Combine(Dir, "g.fits");
        public string Reference => Path.Combine(Dir, "ref");

        public Runs()
        {
            Assert.Equal(0, CliProcess.Run(Dir, ["simulate", "galaxies", "--n", "64", "--size", "16", "--out", Data, "--seed", "1"]).ExitCode);
            Train(Reference, 6, 1);
        }

        public void Train(string outDir, int steps, int processes, bool resume = false, int batch = 8)
        {
            var args = new List<string> { "train", "--out", outDir, "--steps", steps.ToString(CultureInfo.InvariantCulture), "--threads", "1" };
            args.AddRange(resume ? ["--resume"] : ["--data", Data, "--preset", "tiny", "--batch", batch.ToString(CultureInfo.InvariantCulture), "--checkpoint-every", "3"]);
            if (processes > 1) args.AddRange(["--nproc", processes.ToString(CultureInfo.InvariantCulture)]);
            var (rc, stdout, stderr) = CliProcess.Run(Dir, args, timeoutSeconds: 120);
            Assert.True(rc == 0, $"scorpio {string.Join(" ", args)} failed ({rc}): {stdout}\n{stderr}");
        }

        public void Dispose() => Directory.Delete(Dir, true);
    }

    private static double[] Losses(string run) =>
        File.ReadAllLines(Path.Combine(run, "loss.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

    // Tolerances. The ranks' gradients are sums over B/2 rows, added by the allreduce, where one process sums B rows: the
    // same numbers in another order, so they differ by float32 rounding (2^-24 relative per addition). The loss of a step
    // (about 170 here) may move by a few ulps: 1e-6 relative is ~8 ulps. The weights (|w| < 1) after 6 Adam steps moved
    // by 1.5e-8 when measured (2 ulps of 0.1); 1e-6 leaves room for other kernels and thread counts, and is 70 times below
    // what a wrong reduction gives (training on half the batch moves them by 7e-5: checked below).
    private const double LossTolerance = 1e-6, WeightTolerance = 1e-6;

    /// <summary>
    /// Largest |a - b| over the float tensors of two checkpoints whose names start with <paramref name="prefix"/>
    /// (model., ema.); with <paramref name="sameDraws"/> every integer tensor (RNG states, step) must be identical.
    /// </summary>
    private static double CheckpointDifference(string a, string b, string prefix, bool sameDraws = true)
    {
        var (ta, _) = new RunFolder(a).ReadCheckpoint();
        var (tb, _) = new RunFolder(b).ReadCheckpoint();
        try
        {
            Assert.Equal(ta.Keys.Order(), tb.Keys.Order());
            double worst = 0;
            foreach (var (key, x) in ta)
            {
                var y = tb[key];
                if (x.DType is DType.UInt8 or DType.Int64) Assert.True(!sameDraws || x.Equal(y), $"{key} differs between {a} and {b}");
                else if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    using var d = x.To(DType.Float64).Sub(y.To(DType.Float64)).Abs().Max();
                    worst = Math.Max(worst, d.ToDouble());
                }
            }
            return worst;
        }
        finally
        {
            foreach (var t in ta.Values.Concat(tb.Values)) t.Dispose();
        }
    }

    private void AssertFollowsReference(string run)
    {
        var (a, b) = (Losses(_runs.Reference), Losses(run));
        Assert.Equal(a.Length, b.Length);
        for (int k = 0; k < a.Length; k++) Assert.True(Math.Abs(a[k] - b[k]) <= LossTolerance * Math.Abs(a[k]), $"step {k + 1}: loss {b[k]:R}, single process {a[k]:R}");
        foreach (var prefix in new[] { "model.", "ema." })
        {
            double diff = CheckpointDifference(_runs.Reference, run, prefix);
            Assert.True(diff <= WeightTolerance, $"{run}: {prefix}* differs from the single-process run by {diff:E3} (tolerance {WeightTolerance:E0})");
        }
    }

    [Fact]
    public void TwoRanksOfHalfTheBatchFollowOneRankOfTheWholeBatch()
    {
        string two = Path.Combine(_runs.Dir, "two");
        _runs.Train(two, 6, 2);
        AssertFollowsReference(two);
        // The tolerance can fail: one process on half the batch (what a rank would do without the allreduce) is far off.
        string half = Path.Combine(_runs.Dir, "half");
        _runs.Train(half, 6, 1, batch: 4);
        Assert.True(CheckpointDifference(_runs.Reference, half, "model.", sameDraws: false) > 20 * WeightTolerance);
    }

    [Fact]
    public void ResumesWithAnotherNumberOfProcesses()
    {
        // Data order and draws are those of the global batch whatever the number of processes (docs/scale-out.md), so a
        // run stopped at step 3 and resumed on another world size follows the uninterrupted single-process run.
        string twoThenOne = Path.Combine(_runs.Dir, "two-then-one"), oneThenTwo = Path.Combine(_runs.Dir, "one-then-two");
        _runs.Train(twoThenOne, 3, 2);
        _runs.Train(twoThenOne, 6, 1, resume: true);
        AssertFollowsReference(twoThenOne);
        _runs.Train(oneThenTwo, 3, 1);
        _runs.Train(oneThenTwo, 6, 2, resume: true);
        AssertFollowsReference(oneThenTwo);
    }

    [Fact]
    public void AKilledRankStopsTheOtherWithAClearErrorWithinTheTimeout()
    {
        // Launched as torchrun would (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), with a 20 s collective timeout.
        const int timeoutSeconds = 20;
        string run = Path.Combine(_runs.Dir, "killed");
        string port = Torch.Distributed.TcpStore.FreePort().ToString(CultureInfo.InvariantCulture);
        var ranks = Enumerable.Range(0, 2).Select(r => CliProcess.Start(_runs.Dir,
            ["train", "--data", _runs.Data, "--out", run, "--preset", "tiny", "--batch", "8", "--steps", "100000", "--checkpoint-every", "3",
             "--threads", "1", "--dist-timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>
            {
                ["RANK"] = r.ToString(CultureInfo.InvariantCulture), ["WORLD_SIZE"] = "2", ["LOCAL_RANK"] = r.ToString(CultureInfo.InvariantCulture),
                ["LOCAL_WORLD_SIZE"] = "2", ["MASTER_ADDR"] = "127.0.0.1", ["MASTER_PORT"] = port,
            })).ToArray();
        var stderr = ranks.Select(p => p.StandardError.ReadToEndAsync()).ToArray();
        var stdout = ranks.Select(p => p.StandardOutput.ReadToEndAsync()).ToArray();
        try
        {
            // Training is under way once rank 0 has written its first checkpoint.
            var started = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(run, "checkpoint.safetensors")))
            {
                Assert.False(ranks.Any(p => p.HasExited), "a rank exited before training started: " + string.Join("\n", stderr.Where(t => t.IsCompleted).Select(t => t.Result)));
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(90), "no checkpoint after 90 s");
                Thread.Sleep(100);
            }
            ranks[1].Kill(entireProcessTree: true);
            var clock = Stopwatch.StartNew();
            Assert.True(ranks[0].WaitForExit(TimeSpan.FromSeconds(timeoutSeconds + 15)), $"rank 0 still running {timeoutSeconds + 15} s after rank 1 was killed");
            Console.WriteLine($"rank 0 stopped {clock.Elapsed.TotalSeconds:F1} s after rank 1 was killed: {stderr[0].Result.Trim().Split('\n')[^1]}");
            Assert.Equal(2, ranks[0].ExitCode);
            Assert.Contains("error: rank 0 of 2 (gloo)", stderr[0].Result);
            Assert.Contains("failed", stderr[0].Result);
            Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")), "the last checkpoint must survive");
        }
        finally
        {
            foreach (var p in ranks) { if (!p.HasExited) p.Kill(entireProcessTree: true); p.Dispose(); }
        }
    }
}
