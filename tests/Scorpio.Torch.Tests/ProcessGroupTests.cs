using System.Diagnostics;
using Scorpio.Torch.Distributed;

namespace Scorpio.Torch.Tests;

/// <summary>
/// libtorch's c10d through the shim: two ranks of a Gloo group on 127.0.0.1, each on its own thread of this process
/// (the same calls as two processes; the training tests use real processes). Values are small integers, so sums are exact.
/// </summary>
public class ProcessGroupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="body"/>(group) on ranks 0 and 1 at once; rethrows the first rank's failure.</summary>
    private static T[] OnTwoRanks<T>(Func<ProcessGroup, T> body, TimeSpan? timeout = null)
    {
        int port = TcpStore.FreePort();
        var results = new T[2];
        var errors = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(rank => new Thread(() =>
        {
            try
            {
                using var store = new TcpStore("127.0.0.1", port, rank == 0, 2, timeout ?? Timeout);
                using var group = ProcessGroup.Create("gloo", store, rank, 2, timeout ?? Timeout, hostAddress: "127.0.0.1");
                results[rank] = body(group);
            }
            catch (Exception e) { errors[rank] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a rank did not finish in 60 s");
        foreach (var e in errors) if (e is not null) throw new Exception("a rank failed: " + e.Message, e);
        return results;
    }

    [Fact]
    public void GlooIsBuiltIntoTheShim() => Assert.True(ProcessGroup.IsAvailable("gloo"));

    [Fact]
    public void AllReduceSumsMaxesAndBroadcastsTensorLists()
    {
        var got = OnTwoRanks(g =>
        {
            using var a = torch.FromArray(new[] { 1.0f + g.Rank, 10f * (g.Rank + 1) });       // rank 0: (1, 10), rank 1: (2, 20)
            using var b = torch.FromArray(new[] { (double)g.Rank - 5 }, [1, 1]);               // -5 and -4
            g.AllReduce([a, b]);
            using var m = torch.FromArray(new long[] { g.Rank, 7 - g.Rank });
            g.AllReduce([m], ReduceOp.Max);
            using var c = torch.FromArray(new[] { 100f * (g.Rank + 1) });
            g.Broadcast([c], root: 1);
            g.Barrier();
            return (a.ToArray<float>(), b.ToArray<double>(), m.ToArray<long>(), c.ToArray<float>());
        });
        foreach (var (a, b, m, c) in got)
        {
            Assert.Equal(new[] { 3f, 30f }, a);
            Assert.Equal(new[] { -9.0 }, b);
            Assert.Equal(new long[] { 1, 7 }, m);
            Assert.Equal(new[] { 200f }, c);   // rank 1's value everywhere
        }
    }

    [Fact]
    public void ARankThatStopsAnsweringFailsTheOtherWithinTheTimeout()
    {
        // Rank 1 joins the group but never enters the allreduce: rank 0 must fail after the 2 s timeout, not hang.
        var timeout = TimeSpan.FromSeconds(2);
        var clock = new Stopwatch();
        var outcome = OnTwoRanks(g =>
        {
            if (g.Rank == 1) { Thread.Sleep(timeout * 3); return ""; }
            clock.Start();
            using var x = torch.Ones([4]);
            try { g.AllReduce([x]); return "no error"; }
            catch (DistributedException e) { return e.Message; }
        }, timeout);
        Assert.Contains("rank 0 of 2 (gloo): allreduce failed", outcome[0]);
        Assert.InRange(clock.Elapsed.TotalSeconds, timeout.TotalSeconds * 0.5, timeout.TotalSeconds + 10);
    }

    [Fact]
    public void AStoreNobodyServesIsAClearError()
    {
        int port = TcpStore.FreePort();
        var e = Assert.Throws<DistributedException>(() => new TcpStore("127.0.0.1", port, isServer: false, 2, TimeSpan.FromSeconds(1)));
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Contains("MASTER_ADDR", e.Message);
    }
}
