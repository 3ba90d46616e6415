using Scorpio.Torch.Interop;

namespace Scorpio.Torch.Tests;

/// <summary>
/// Ops that return lists longer than the dispatcher's reusable result buffer (256 slots): the published NCSN++ has
/// 352 parameter tensors, so the optimiser's and the gradient clip's foreach ops return 352 results.
/// </summary>
public class ListResultTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    public void UnbindReturnsEveryRowInOrder(int rows)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.Arange(0, rows * 2, 1, DType.Float64).Reshape(rows, 2);
        var parts = a.Unbind(0);
        Assert.Equal(rows, parts.Length);
        // Row k of arange(2n).reshape(n, 2) is (2k, 2k + 1).
        for (int k = 0; k < rows; k += Math.Max(1, rows / 17))
            Assert.Equal(new[] { 2.0 * k, 2.0 * k + 1 }, parts[k].ToArray<double>());
        Assert.Equal(new[] { 2.0 * rows - 2, 2.0 * rows - 1 }, parts[^1].ToArray<double>());
    }

    [Fact]
    public void ForeachNormAndSqrtOverThreeHundredFiftyTwoTensors()
    {
        using var scope = torch.NewDisposeScope();
        // Tensor k holds k + 1 copies of the value 3: its L2 norm is 3 sqrt(k + 1), its square root is sqrt(3) everywhere.
        var ts = Enumerable.Range(0, 352).Select(k => torch.Full([k + 1], 3.0, DType.Float64)).ToArray();
        var norms = Aten.UnderscoreForeachNorm_Scalar(ts, 2.0);
        Assert.Equal(352, norms.Length);
        for (int k = 0; k < 352; k++) Assert.Equal(3 * Math.Sqrt(k + 1), norms[k].ToDouble(), 1e-12 * (k + 1));
        var roots = Aten.UnderscoreForeachSqrt(ts);
        Assert.Equal(352, roots.Length);
        Assert.Equal(Math.Sqrt(3), roots[351].Max().ToDouble(), 12);
        // The next short call after a long one still works with the grown buffer.
        Assert.Equal(2, torch.Zeros([2, 3]).Unbind(0).Length);
    }
}
