using Scorpio.Torch;
using Scorpio.Torch.NN;

namespace Scorpio.Distributed;

/// <summary>
/// How a model's gradients travel in an allreduce: flattened into buckets of at most <c>bucketBytes</c> (parameters in
/// their registration order, a parameter never split; 0 = one flat bucket for everything), each bucket one collective,
/// all started at once. Two extra numbers ride in the last bucket (the loss share and a stop vote), so one step costs
/// one round of collectives. Parameters without a gradient on this rank contribute zeros and keep no gradient.
/// </summary>
internal sealed class GradientBuckets
{
    private readonly Parameter[] _parameters;
    private readonly List<(int First, int Count)> _buckets = [];

    public GradientBuckets(IReadOnlyList<Parameter> parameters, long bucketBytes)
    {
        _parameters = [.. parameters];
        int first = 0;
        long numel = 0;
        for (int k = 0; k < _parameters.Length; k++)
        {
            long n = _parameters[k].Tensor.Numel, bytes = (numel + n) * 4;
            if (k > first && bucketBytes > 0 && bytes > bucketBytes) { _buckets.Add((first, k - first)); first = k; numel = 0; }
            numel += n;
        }
        _buckets.Add((first, _parameters.Length - first));
    }

    /// <summary>Number of collectives per step.</summary>
    public int Count => _buckets.Count;

    /// <summary>
    /// Sums every rank's gradients in place and the <paramref name="extras"/> (a 1-d tensor of the gradients' dtype and
    /// device); returns the summed extras.
    /// </summary>
    public Tensor SumAcrossRanks(Torch.Distributed.ProcessGroup group, Tensor extras)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var flat = new Tensor[_buckets.Count];
        for (int b = 0; b < _buckets.Count; b++)
        {
            var (first, count) = _buckets[b];
            var pieces = new List<Tensor>(count + 1);
            for (int k = first; k < first + count; k++)
            {
                var p = _parameters[k].Tensor;
                pieces.Add(p.Grad is { } g ? g.Flatten() : torch.Zeros([p.Numel], p.DType, p.Device));
            }
            if (b == _buckets.Count - 1) pieces.Add(extras);
            flat[b] = torch.Cat([.. pieces]);
        }
        using (var work = group.AllReduceAsync(flat)) work.Wait();
        for (int b = 0; b < _buckets.Count; b++)
        {
            var (first, count) = _buckets[b];
            long offset = 0;
            for (int k = first; k < first + count; k++)
            {
                var p = _parameters[k].Tensor;
                if (p.Grad is { } g) g.Copy_(flat[b].Narrow(0, offset, p.Numel).View(g.Shape));
                offset += p.Numel;
            }
        }
        var last = flat[^1];
        return last.Narrow(0, last.Size(0) - extras.Size(0), extras.Size(0)).MoveToOuterDisposeScope();
    }
}
