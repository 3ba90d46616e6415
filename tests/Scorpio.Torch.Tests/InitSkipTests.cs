using Scorpio.Torch.NN;

namespace Scorpio.Torch.Tests;

/// <summary>Init.Skipped: a network built only to receive loaded weights draws nothing and holds zeros until loaded.</summary>
public class InitSkipTests
{
    [Fact]
    public void SkippedInitialisersReturnZerosAndLeaveTheGeneratorAlone()
    {
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(7);
        var before = rng.GetState().ToArray<byte>();
        using (Init.Skipped())
        {
            using var conv = new Conv2d(3, 4, 3, rng);
            using var dense = new Linear(5, 6, rng, initScale: 1.0);
            Assert.Equal(0.0, conv.Weight.Tensor.Abs().Sum().ToDouble());
            Assert.Equal(0.0, dense.Weight.Tensor.Abs().Sum().ToDouble());
        }
        Assert.Equal(before, rng.GetState().ToArray<byte>());
        // Outside the scope the draws are back: PyTorch's default bound for fan-in 27 is 1/sqrt(27) = 0.19.
        using var drawn = new Conv2d(3, 4, 3, rng);
        double max = drawn.Weight.Tensor.Abs().Max().ToDouble();
        Assert.InRange(max, 0.1, 1 / Math.Sqrt(27));
    }
}
