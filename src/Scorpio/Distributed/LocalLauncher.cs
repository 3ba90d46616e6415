using System.Diagnostics;
using System.Globalization;
using Scorpio.Torch.Distributed;

namespace Scorpio.Distributed;

/// <summary>
/// Starts a data-parallel job on this machine (what <c>scorpio train --nproc N</c> does, like torchrun's standalone mode):
/// N copies of a program with RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and MASTER_PORT (a
/// free port, or the one MASTER_PORT already names) in their environment, sharing this console. When one copy fails the
/// others are given <c>grace</c> to report their own error (a dead peer fails their next collective at once) and are
/// then killed, so the job never hangs on a lost rank.
/// </summary>
public static class LocalLauncher
{
    /// <summary>Runs the job; returns 0 when every rank succeeded, else the first failing rank's exit code.</summary>
    /// <param name="fileName">the program (e.g. the dotnet host).</param>
    /// <param name="arguments">its arguments (the same for every rank).</param>
    /// <param name="processes">number of ranks, at least 2.</param>
    /// <param name="grace">how long the surviving ranks may take to stop on their own after one failed.</param>
    /// <param name="log">receives the launcher's own messages.</param>
    public static int Run(string fileName, IReadOnlyList<string> arguments, int processes, TimeSpan grace, Action<string> log)
    {
        if (processes < 2) throw new ArgumentOutOfRangeException(nameof(processes), $"a local job has at least 2 processes (got {processes})");
        string port = Environment.GetEnvironmentVariable("MASTER_PORT") is { Length: > 0 } given ? given : TcpStore.FreePort().ToString(CultureInfo.InvariantCulture);
        var children = new Process[processes];
        try
        {
            for (int r = 0; r < processes; r++)
            {
                var psi = new ProcessStartInfo(fileName) { UseShellExecute = false };
                foreach (var a in arguments) psi.ArgumentList.Add(a);
                string rank = r.ToString(CultureInfo.InvariantCulture), world = processes.ToString(CultureInfo.InvariantCulture);
                psi.Environment["RANK"] = rank;
                psi.Environment["LOCAL_RANK"] = rank;
                psi.Environment["WORLD_SIZE"] = world;
                psi.Environment["LOCAL_WORLD_SIZE"] = world;
                psi.Environment["MASTER_ADDR"] = "127.0.0.1";
                psi.Environment["MASTER_PORT"] = port;
                try { children[r] = Process.Start(psi) ?? throw new System.ComponentModel.Win32Exception("no process was created"); }
                catch (System.ComponentModel.Win32Exception e)
                {
                    // A missing or non-executable program is the user's setup, not a bug: say which and what to do.
                    throw new Astro.UserInputException($"could not start rank {r} of the local job as '{fileName}': {e.Message}. " +
                        "Check that the program exists and is executable (the launcher re-runs the same scorpio command).", e);
                }
            }
            log($"started {processes} processes (ranks 0-{processes - 1}) on 127.0.0.1:{port}");
            var pending = children.Select((p, r) => (Task: p.WaitForExitAsync(), Rank: r)).ToList();
            int code = 0;
            while (pending.Count > 0)
            {
                var done = pending[Task.WaitAny(pending.Select(x => x.Task).ToArray())];
                pending.Remove(done);
                int exit = children[done.Rank].ExitCode;
                if (exit == 0 || code != 0) continue;
                code = exit;
                log($"rank {done.Rank} exited with code {exit}; waiting up to {grace.TotalSeconds:G3} s for the other ranks to stop");
                if (!Task.WaitAll(pending.Select(x => x.Task).ToArray(), grace))
                {
                    foreach (var (_, r) in pending.Where(x => !x.Task.IsCompleted))
                    {
                        log($"stopping rank {r}");
                        children[r].Kill(entireProcessTree: true);
                    }
                }
            }
            return code;
        }
        finally
        {
            foreach (var p in children)
            {
                if (p is null) continue;
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }
}
