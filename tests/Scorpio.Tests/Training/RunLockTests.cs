using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>
/// One process per run folder (a lock file with the holder's pid and host; a lock left by a dead process is taken over), and a
/// folder interrupted before its first checkpoint or during a checkpoint write can be continued.
/// </summary>
public class RunLockTests
{
    public RunLockTests() => torch.NumThreads = 2;

    private static RunConfig Tiny(int steps, int every) => new()
    {
        Seed = 3,
        Network = TrainingFixtures.TinyUNet(16),
        Training = new TrainingConfig { Steps = steps, Batch = 4, CheckpointEvery = every },
    };

    [Fact]
    public void ASecondTrainerOnTheSameRunIsRefusedNamingTheHolder()
    {
        var dir = TestPaths.TempDir("lock-busy");
        using var held = new RunFolder(dir).Lock();
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var e = Assert.Throws<UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = dir, Config = Tiny(2, 1), Data = data }));
        Assert.Contains(dir, e.Message);
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.Contains(Environment.MachineName, e.Message);
        Assert.Contains("in use", e.Message);
        Assert.False(File.Exists(new RunFolder(dir).ConfigPath)); // refused before anything was written
    }

    [Fact]
    public void ALockLeftByADeadProcessIsTakenOver()
    {
        var dir = TestPaths.TempDir("lock-stale");
        // What a process killed while holding the lock leaves: the file with its pid, and no kernel lock.
        int deadPid = DeadPid();
        File.WriteAllText(Path.Combine(dir, FolderLock.FileName), $"pid={deadPid}\nhost={Environment.MachineName}\nstarted=2020-01-01T00:00:00Z\nprocess_start=1\n");
        var notes = new List<string>();
        using (var held = new RunFolder(dir).Lock(notes.Add))
        {
            Assert.Contains($"pid {deadPid}", held.TookOverFrom);
            Assert.Contains($"pid={Environment.ProcessId}\n", File.ReadAllText(held.Path));
        }
        Assert.Contains(notes, n => n.Contains("took over") && n.Contains($"pid {deadPid}"));
        // Released: the file is left empty, and the next holder takes it without a notice.
        Assert.Equal("", File.ReadAllText(Path.Combine(dir, FolderLock.FileName)));
        using var again = new RunFolder(dir).Lock();
        Assert.Null(again.TookOverFrom);
    }

    // A pid that no running process has.
    private static int DeadPid()
    {
        for (int pid = 4_000_000; pid > 1000; pid -= 7919)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
        return 999_999;
    }

    [Fact]
    public void ARunKilledBeforeItsFirstCheckpointCanBeResumedOrRestartedAndEqualsAnUninterruptedRun()
    {
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var reference = TestPaths.TempDir("kill-ref");
        Trainer.Run(new TrainingOptions { OutDir = reference, Config = Tiny(4, 2), Data = data });

        // A kill right after config.json and loss.csv were written: no checkpoint, no weights.
        foreach (bool resume in new[] { true, false })
        {
            var dir = TestPaths.TempDir(resume ? "kill-resume" : "kill-restart");
            Trainer.Run(new TrainingOptions { OutDir = dir, Config = Tiny(4, 2), Data = data });
            var folder = new RunFolder(dir);
            File.Delete(folder.CheckpointPath);
            File.Delete(folder.ModelPath);
            File.WriteAllText(folder.LossLogPath, LossLog.Header + "\n1,0.5,1e-5,10");   // and a row cut short
            Assert.True(folder.NeverCheckpointed);
            var notes = new Notes();
            var options = resume
                ? new TrainingOptions { OutDir = dir, Resume = true, Data = data, Monitor = notes }
                : new TrainingOptions { OutDir = dir, Config = Tiny(4, 2), Data = data, Monitor = notes };
            Assert.Equal(TrainingOutcome.Completed, Trainer.Run(options).Outcome);
            Assert.Contains(notes.Messages, m => m.Contains("before its first checkpoint") || m.Contains("no checkpoint yet"));
            Assert.Equal(Checksums(reference), Checksums(dir));
            Assert.Equal(5, File.ReadAllLines(folder.LossLogPath).Length);   // header + steps 1..4, the cut row dropped
        }
    }

    [Fact]
    public void TemporaryFilesOfAKilledWriteAreRemovedAndAnOlderModelIsRewrittenOnResume()
    {
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var reference = TestPaths.TempDir("tmp-ref");
        Trainer.Run(new TrainingOptions { OutDir = reference, Config = Tiny(4, 2), Data = data });

        var dir = TestPaths.TempDir("tmp-kill");
        Trainer.Run(new TrainingOptions { OutDir = dir, Config = Tiny(2, 2), Data = data });
        var folder = new RunFolder(dir);
        // A kill during a checkpoint write leaves Safetensors' temporary file; one between the checkpoint and the model
        // write leaves model.safetensors of an older step (here: a damaged one).
        File.WriteAllBytes(folder.CheckpointPath + $".tmp12345.{Guid.NewGuid():N}", new byte[1000]);
        File.WriteAllBytes(Path.Combine(dir, ".config.json.abcd1234.tmp"), new byte[10]);
        File.WriteAllBytes(folder.ModelPath, new byte[100]);
        var notes = new Notes();
        Assert.Equal(TrainingOutcome.AlreadyDone, Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, Data = data, Monitor = notes }).Outcome);
        Assert.Empty(Directory.GetFiles(dir, "*tmp*"));
        Assert.Contains(notes.Messages, m => m.Contains("removed 2 temporary file"));
        Assert.Contains(notes.Messages, m => m.Contains("rewrote"));
        var (model, meta) = RunFolder.ReadVerified(folder.ModelPath);
        Assert.Equal("2", meta["step"]);
        foreach (var t in model.Values) t.Dispose();
        // And it continues to the same weights as an uninterrupted run.
        Assert.Equal(TrainingOutcome.Completed, Trainer.Run(new TrainingOptions { OutDir = dir, Resume = true, TotalSteps = 4, Data = data }).Outcome);
        Assert.Equal(Checksums(reference), Checksums(dir));
    }

    [Fact]
    public void TrainOntoAFileIsAClearError()
    {
        var file = Path.Combine(TestPaths.TempDir("train-file"), "notes.txt");
        File.WriteAllText(file, "keep me");
        using var data = TrainingFixtures.InMemory(TrainingFixtures.Blobs(8, 16, 2));
        var e = Assert.Throws<UserInputException>(() => Trainer.Run(new TrainingOptions { OutDir = file, Config = Tiny(2, 1), Data = data }));
        Assert.Contains(file, e.Message);
        Assert.Contains("is a file", e.Message);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    // The tensors' SHA-256 of the weights and of the whole training state (model, EMA, optimiser, RNG, step).
    private static (string Model, string Checkpoint) Checksums(string dir)
    {
        var folder = new RunFolder(dir);
        string Sum(string path)
        {
            var (tensors, meta) = RunFolder.ReadVerified(path);
            foreach (var t in tensors.Values) t.Dispose();
            return meta[RunFolder.ChecksumKey];
        }
        return (Sum(folder.ModelPath), Sum(folder.CheckpointPath));
    }

    private sealed class Notes : ITrainingMonitor
    {
        public List<string> Messages { get; } = [];
        public void Progress(TrainingProgress progress) { }
        public void Note(string message) => Messages.Add(message);
    }
}
