using Scorpio.Torch.Interop;

namespace Scorpio.Torch;

/// <summary>
/// Counts the floating-point operations of the convolutions and matrix products this thread runs while the counter is
/// open: 2 x multiply-accumulates (conv2d, conv_transpose2d, linear, matmul, mm, addmm, bmm, two-operand einsum).
/// Element-wise work (norms, activations, additions) is not counted; it is a few percent of a U-Net's total. Used to put
/// networks of different architectures on one scale (seconds per FLOP) and to report GFLOP per network evaluation.
/// Counting reads shapes only, never tensor values. One counter per thread at a time.
/// </summary>
public sealed class FlopCounter : IDisposable
{
    [ThreadStatic] private static FlopCounter? t_current;
    private readonly FlopCounter? _outer;
    private bool _disposed;

    /// <summary>FLOPs counted so far.</summary>
    public long Flops { get; private set; }

    private FlopCounter() { _outer = t_current; t_current = this; }

    /// <summary>Starts counting on this thread until the counter is disposed.</summary>
    public static FlopCounter Start() => new();

    internal static bool Active => t_current is not null;

    /// <summary>Called by the dispatcher after an op that returned <paramref name="result"/>.</summary>
    internal static void Record(OpHandle op, ReadOnlySpan<Arg> args, Tensor result)
    {
        var c = t_current;
        if (c is null) return;
        long n = result.Numel;
        c.Flops += 2 * op.Name switch
        {
            // out (N, Cout, H', W'); weight (Cout, Cin/groups, kh, kw): each output sums Cin/groups kh kw products.
            "aten::conv2d" => n * Inner(args[1]),
            // weight (Cin, Cout/groups, kh, kw): each input element scatters into Cout/groups kh kw outputs.
            "aten::conv_transpose2d.input" => Tensor(args[0]).Numel * Inner(args[1]),
            "aten::linear" => n * Tensor(args[1]).Shape[^1],
            "aten::matmul" or "aten::mm" or "aten::bmm" => n * Tensor(args[0]).Shape[^1],
            "aten::addmm" => n * Tensor(args[1]).Shape[^1],
            "aten::einsum" => n * EinsumInner((string)args[0].Ref!, (Tensor[])args[1].Ref!),
            _ => 0,
        };
    }

    private static Tensor Tensor(Arg a) => (Tensor)a.Ref!;

    // Product of a convolution weight's sizes after the first.
    private static long Inner(Arg weight)
    {
        var s = Tensor(weight).Shape;
        long p = 1;
        for (int d = 1; d < s.Length; d++) p *= s[d];
        return p;
    }

    // Two-operand einsum: the product of the sizes of the summed indices (those absent from the output).
    private static long EinsumInner(string equation, Tensor[] operands)
    {
        var parts = equation.Replace(" ", "").Split("->");
        var inputs = parts[0].Split(',');
        if (operands.Length != 2 || parts.Length != 2 || equation.Contains("...")) return 0;
        var sizes = new Dictionary<char, long>();
        for (int o = 0; o < 2; o++)
            for (int d = 0; d < inputs[o].Length; d++) sizes[inputs[o][d]] = operands[o].Shape[d];
        long inner = 1;
        foreach (var (index, size) in sizes) if (!parts[1].Contains(index)) inner *= size;
        return inner;
    }

    /// <summary>Stops counting (an outer counter, if any, resumes; it does not receive this one's count).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        t_current = _outer;
    }
}
