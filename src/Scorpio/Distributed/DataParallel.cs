using Scorpio.Astro;
using Scorpio.Torch;
using Scorpio.Torch.Distributed;
using Scorpio.Torch.NN;

namespace Scorpio.Distributed;

/// <summary>
/// Data-parallel training over a libtorch process group (Gloo on CPU, NCCL on CUDA): every rank holds the whole model,
/// computes its block of each global batch (<see cref="Data.BatchShard"/>), and the ranks sum their gradients with an
/// allreduce before the same optimiser step, so their weights stay identical. Rank 0 (<see cref="IsMain"/>) writes the
/// run folder. Every collective is bounded by the group's timeout: a rank that dies or hangs makes the others stop with
/// a <see cref="DistributedException"/> naming the cause instead of waiting forever.
/// </summary>
public sealed class DataParallel : IDisposable
{
    /// <summary>Default bound of the rendezvous and of every collective (long enough for rank 0 to write a checkpoint).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private readonly TcpStore _store;
    private GradientBuckets? _buckets;

    private DataParallel(TcpStore store, ProcessGroup group, LaunchEnvironment launch, Device device, long bucketBytes)
    {
        _store = store;
        Device = device;
        Group = group;
        Launch = launch;
        BucketBytes = bucketBytes;
    }

    public ProcessGroup Group { get; }
    public LaunchEnvironment Launch { get; }
    /// <summary>Where this rank trains; the group's own small tensors live there too (NCCL reduces CUDA tensors only).</summary>
    public Device Device { get; }
    public int Rank => Group.Rank;
    public int WorldSize => Group.WorldSize;
    public bool IsMain => Rank == 0;
    public string Backend => Group.Backend;
    /// <summary>Gradient bucket size in bytes (0: one flat bucket).</summary>
    public long BucketBytes { get; }

    /// <summary>The backend for a device: gloo on the CPU, nccl on CUDA (torch.distributed's defaults).</summary>
    public static string BackendFor(Device device) => device.IsCuda ? "nccl" : "gloo";

    /// <summary>
    /// Joins the job described by <paramref name="launch"/>: rank 0 serves the rendezvous store at MASTER_ADDR:MASTER_PORT,
    /// every rank connects and forms the process group. Blocks until all ranks have joined or <paramref name="timeout"/> passes.
    /// </summary>
    /// <param name="launch">rank, world size and rendezvous address.</param>
    /// <param name="backend">gloo or nccl (<see cref="BackendFor"/>).</param>
    /// <param name="timeout">bound of the rendezvous and of every collective.</param>
    /// <param name="device">where this rank trains (cuda:LOCAL_RANK with one GPU per process).</param>
    /// <param name="bucketBytes">gradient bucket size in bytes; 0 = one flat bucket (see bench/train-distributed).</param>
    public static DataParallel Join(LaunchEnvironment launch, string backend, TimeSpan timeout, Device device, long bucketBytes = 0)
    {
        if (backend is not ("gloo" or "nccl")) throw new InvalidSettingException("backend", $"must be gloo or nccl (got '{backend}')");
        if (backend == "nccl" && !device.IsCuda) throw new InvalidSettingException("backend", "nccl reduces CUDA tensors: use it with --device cuda, or gloo on the CPU");
        if (timeout <= TimeSpan.Zero) throw new InvalidSettingException("timeout", $"must be positive (got {timeout.TotalSeconds} s)");
        var store = new TcpStore(launch.MasterAddress, launch.MasterPort, launch.Rank == 0, launch.WorldSize, timeout);
        try
        {
            // Gloo binds to GLOO_SOCKET_IFNAME when set (as torch.distributed), to loopback for a one-machine job, else to the hostname.
            string? iface = Environment.GetEnvironmentVariable("GLOO_SOCKET_IFNAME");
            var group = ProcessGroup.Create(backend, store, launch.Rank, launch.WorldSize, timeout, iface, launch.IsLoopback ? "127.0.0.1" : null);
            return new DataParallel(store, group, launch, device, bucketBytes);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Copies rank 0's values of <paramref name="tensors"/> (weights, buffers) into every rank's, in place.</summary>
    public void BroadcastFromMain(IEnumerable<Tensor> tensors)
    {
        using var noGrad = torch.NoGrad();
        Group.Broadcast(tensors.ToList());
    }

    /// <summary>
    /// Checks that every rank has the same <paramref name="value"/> (a step, a hash of the configuration): a rank that
    /// read another checkpoint or other data would silently train something else.
    /// </summary>
    public void Agree(long value, string what)
    {
        using var scope = torch.NewDisposeScope();
        var lo = torch.FromArray(new[] { value }).To(Device);
        var hi = torch.FromArray(new[] { value }).To(Device);
        Group.AllReduce([lo], ReduceOp.Min);
        Group.AllReduce([hi], ReduceOp.Max);
        long min = lo.ToArray<long>()[0], max = hi.ToArray<long>()[0];
        if (min != max)
            throw new UserInputException($"the {WorldSize} processes disagree on {what} (rank {Rank} has {value}; values from {min} to {max}): " +
                "every rank must read the same run folder and data (a shared file system) and run the same Scorpio version");
    }

    /// <summary>
    /// The step's collective: sums every rank's gradients of <paramref name="parameters"/> in place (each rank's loss is its
    /// share of the global batch's mean, so the sum is the gradient of the whole batch) together with the loss shares and
    /// the ranks' <paramref name="votes"/> (e.g. stop requests). Returns the global loss (0-d, on the device, in the caller's
    /// dispose scope: read it when convenient) and the summed votes, which are read on the host here: one small read per
    /// step, so that every rank acts on the same votes after the same step (the loss waits for the trainer's deferred read).
    /// </summary>
    public (Tensor Loss, double[] Votes) Reduce(IReadOnlyList<Parameter> parameters, Tensor localLoss, params double[] votes)
    {
        _buckets ??= new GradientBuckets(parameters, BucketBytes);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var p0 = parameters[0].Tensor;
        var extras = torch.Cat([localLoss.Detach().To(p0.DType).Reshape(1), torch.FromArray(votes).To(p0.Device, p0.DType)]);
        var summed = _buckets.SumAcrossRanks(Group, extras);
        double[] votesSummed = summed.Narrow(0, 1, votes.Length).To(DType.Float64).ToArray<double>();
        // A copy: the sum is a view of the last flat bucket, which must not stay alive while the loss waits to be read.
        return (summed.Select(0, 0).Clone().MoveToOuterDisposeScope(), votesSummed);
    }

    /// <summary>Collectives per training step (1 with one flat bucket).</summary>
    public int CollectivesPerStep => _buckets?.Count ?? 0;

    public void Dispose()
    {
        Group.Dispose();
        _store.Dispose();
    }
}
