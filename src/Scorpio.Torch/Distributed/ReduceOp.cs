namespace Scorpio.Torch.Distributed;

/// <summary>How an allreduce combines the ranks' tensors (c10d's ReduceOp numbering; AVG is NCCL-only in c10d, so absent).</summary>
public enum ReduceOp
{
    Sum = 0,
    Product = 2,
    Min = 3,
    Max = 4,
}
