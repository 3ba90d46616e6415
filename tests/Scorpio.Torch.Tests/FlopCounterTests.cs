namespace Scorpio.Torch.Tests;

/// <summary>FLOPs = 2 x multiply-accumulates of convolutions and matrix products, counted from shapes.</summary>
public class FlopCounterTests
{
    [Fact]
    public void CountsConvolutionsAndMatrixProductsOnly()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.Ones([2, 3, 8, 8]);
        var w = torch.Ones([4, 3, 3, 3]);
        using var counter = FlopCounter.Start();
        torch.Conv2d(x, w, padding: 1);
        // (2, 4, 8, 8) outputs, each a sum of 3 x 3 x 3 products: 2 x 512 x 27.
        Assert.Equal(2L * 512 * 27, counter.Flops);
        long before = counter.Flops;
        torch.Linear(torch.Ones([5, 6]), torch.Ones([7, 6]));                  // 35 outputs of 6 products
        torch.Matmul(torch.Ones([2, 3, 4]), torch.Ones([4, 5]));                // 30 outputs of 4
        torch.Einsum("bij,bjk->bik", torch.Ones([2, 3, 4]), torch.Ones([2, 4, 5])); // 30 outputs of 4
        (x * 2).Sigmoid();                                                        // element-wise: not counted
        Assert.Equal(before + 2L * (35 * 6 + 30 * 4 + 30 * 4), counter.Flops);
        counter.Dispose();
        torch.Conv2d(x, w);
        Assert.Equal(before + 2L * (35 * 6 + 30 * 4 + 30 * 4), counter.Flops);
    }
}
