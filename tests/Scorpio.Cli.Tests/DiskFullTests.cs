using System.Diagnostics;
using Scorpio.Astro.Fits;
using Scorpio.Training;

namespace Scorpio.Cli.Tests;

/// <summary>
/// A full disk, on small tmpfs file systems mounted by the test (it needs the rights to mount, as root in CI; elsewhere it is
/// skipped with a notice): training stops with one line saying the disk is full and where, the last checkpoint stays intact,
/// and the run resumes to the same weights as an uninterrupted one once there is space; `sample` leaves only a file named and
/// marked partial; `posterior` leaves no product at all.
/// </summary>
public class DiskFullTests
{
    private static bool Mount(string dir, string size, out string why)
    {
        Directory.CreateDirectory(dir);
        var (rc, output) = Sh("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", dir);
        why = output.Trim();
        return rc == 0;
    }

    private static (int Code, string Output) Sh(params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args[1..]) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }

    private static void Unmount(string dir)
    {
        if (Sh("umount", dir).Code != 0) Sh("umount", "-l", dir);
    }

    // The exit code and the error: the one line of standard error that starts with "error:" (progress and notes go there too).
    private static (int Code, string Stderr) Cli(string dir, params string[] args)
    {
        var (code, _, stderr) = CliProcess.Run(dir, [.. args, "--threads", "1", "--device", "cpu"]);
        var errors = stderr.Split('\n').Where(l => l.StartsWith("error")).ToList();
        Assert.True(errors.Count <= 1, stderr);
        return (code, errors.FirstOrDefault() ?? stderr.Trim());
    }

    /// <summary>A fact that is skipped, with the reason, where this process cannot mount a tmpfs (probed once, at discovery).</summary>
    private sealed class TmpfsFactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> Refusal = new(() =>
        {
            var probe = Path.Combine(Path.GetTempPath(), "scorpio-tmpfs-probe-" + Environment.ProcessId);
            try
            {
                if (!Mount(probe, "64k", out var why)) return $"needs the rights to mount a tmpfs to fill a disk (mount said: {why.Split('\n')[0]}); run the tests as root to check a full disk";
                Unmount(probe);
                return null;
            }
            finally { try { Directory.Delete(probe); } catch (IOException) { } }
        });

        public TmpfsFactAttribute()
        {
            if (Refusal.Value is { } reason) Skip = reason;
        }
    }

    [TmpfsFact]
    public void AFullDiskIsReportedAndLosesNothing()
    {
        var work = Scorpio.Tests.TestPaths.TempDir("diskfull");
        string full = Path.Combine(work, "full"), small = Path.Combine(work, "small"), tiny = Path.Combine(work, "tiny");
        Assert.True(Mount(full, "1200k", out var why), why);
        try
        {
            Assert.True(Mount(small, "64k", out why), why);
            Assert.True(Mount(tiny, "32k", out why), why);
            string W(string f) => Path.Combine(work, f);
            Assert.Equal(0, Cli(work, "simulate", "galaxies", "--n", "16", "--size", "16", "--out", W("g.fits")).Code);
            string[] Train(string run) => ["train", "--data", W("g.fits"), "--out", run, "--preset", "tiny", "--steps", "6", "--batch", "4", "--checkpoint-every", "1", "--seed", "2"];
            Assert.Equal(0, Cli(work, Train(W("reference"))).Code);

            // Training: the second checkpoint does not fit (1.06 MB per save on 1.2 MB).
            string run = Path.Combine(full, "run");
            var (code, stderr) = Cli(work, Train(run));
            Assert.Equal(2, code);
            Assert.StartsWith("error: the disk is full: writing " + run, stderr);
            Assert.Contains("still holds step 1", stderr);
            Assert.Contains("--resume", stderr);
            var (tensors, meta) = RunFolder.ReadVerified(Path.Combine(run, "checkpoint.safetensors"));
            foreach (var t in tensors.Values) t.Dispose();
            Assert.Equal("1", meta["step"]);
            Assert.Empty(Directory.GetFiles(run, "*.tmp*"));
            // With space again it resumes to the uninterrupted run's weights and training state.
            Assert.Equal(0, Sh("mount", "-o", "remount,size=20m", full).Code);
            Assert.Equal(0, Cli(work, "train", "--out", run, "--resume").Code);
            foreach (var f in new[] { "model.safetensors", "checkpoint.safetensors" })
                Assert.Equal(Scorpio.Torch.Safetensors.LoadMetadata(W("reference/" + f))[RunFolder.ChecksumKey], Scorpio.Torch.Safetensors.LoadMetadata(Path.Combine(run, f))[RunFolder.ChecksumKey]);

            // sample: 64 samples of 16x16 in batches of 16 do not fit in 64 KiB; only the partial file, marked, remains.
            string outFits = Path.Combine(small, "s.fits");
            (code, stderr) = Cli(work, "sample", "--model", W("reference"), "--n", "64", "--batch", "16", "--steps", "3", "--out", outFits);
            Assert.Equal(2, code);
            Assert.StartsWith("error: the disk is full", stderr);
            Assert.Contains("s.partial.fits keeps the samples finished before", stderr);
            Assert.False(File.Exists(outFits));
            var (partial, header) = FitsFile.ReadWithHeader(Path.Combine(small, "s.partial.fits"));
            Assert.Equal("F", header.GetString("COMPLETE"));
            Assert.Equal(64, header.GetLong("NREQUEST"));
            Assert.True(header.GetLong("NSAMPLES") is > 0 and < 64);
            Assert.Equal(header.GetLong("NSAMPLES"), partial.Shape[0]);

            // posterior: its eleven products do not fit in 32 KiB; none is kept.
            FitsFile.Write(W("obs.fits"), new Scorpio.Astro.ImageData(Enumerable.Repeat(0.3f, 256).ToArray(), 16, 16));
            string post = Path.Combine(tiny, "post");
            (code, stderr) = Cli(work, "posterior", "--prior", W("reference"), "--obs", W("obs.fits"), "--sigma", "0.05", "--steps", "3", "--n", "16", "--prior-samples", "0", "--out", post);
            Assert.Equal(2, code);
            Assert.StartsWith("error: the disk is full", stderr);
            Assert.Contains("nothing was kept", stderr);
            Assert.Empty(Directory.GetFiles(post));
        }
        finally
        {
            foreach (var d in new[] { full, small, tiny }) Unmount(d);
        }
    }
}
