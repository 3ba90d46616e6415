using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Posterior;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// mmps' data-space bound on the denoiser's correction d = (sigma^2/mu) J^T A^T W^T u: exactly ||W A d|| &lt;= ||b||
/// (b = W (y - A x0_hat)), which a short CG solve can break. Two pixels, A = I, white noise 1, EDM at t = sigma = 1 (mu = 1),
/// x_t = 0 and a denoiser x0_hat = diag(1000, 0) x_t (J = diag(1000, 0): symmetric, positive, badly conditioned), y = (1, 1),
/// so b = (1, 1) and K = diag(1001, 1).
/// </summary>
public class MomentMatchingBoundTests
{
    /// <summary>x0_hat = D x, so s = (D - 1) x / sigma^2 (EDM: mu = 1, sigma = t).</summary>
    private sealed class DiagonalDenoiser(double[] d) : IScoreFunction
    {
        public Tensor Score(Tensor x, Tensor t)
        {
            using var scope = torch.NewDisposeScope();
            var gain = torch.FromArray(d.Select(v => v - 1).ToArray(), 1, 1, 1, d.Length).To(x.DType);
            var sigma2 = t.Square().Reshape(-1, 1, 1, 1).To(x.DType);
            return x.Mul(gain).Div(sigma2).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// One CG iteration: u = (b'b / b'Kb) b = (2/1002) b and d = J u = (1.996, 0), so ||W A d|| = 1.996 &gt; ||b|| = sqrt(2):
    /// the bound scales d to norm sqrt(2) exactly. Two iterations solve K exactly: d = (1000/1001, 0), inside the bound, untouched.
    /// </summary>
    [Theory]
    [InlineData(1, 1.4142135623730951)]
    [InlineData(2, 1000.0 / 1001.0)]
    public void TheCorrectionNeverMovesThePredictedDataFurtherThanTheDataAre(int cgIterations, double expectedNorm)
    {
        using var scope = torch.NewDisposeScope();
        long[] shape = [1, 1, 2];
        var sde = new EdmSde(0.002, 80);
        using var a = new MaskOperator(torch.Ones([1, 2], DType.Float64).Gt(0.5), shape);
        using var noise = GaussianNoise.White(1.0);
        var y = torch.FromArray(new double[] { 1, 1 }, 1, 1, 2);
        using var mmps = new MomentMatchingScore(new DiagonalDenoiser([1000, 0]), sde, a, y, noise, cgIterations);
        var x = torch.Zeros([1, 1, 1, 2], DType.Float64);
        var t = torch.FromArray(new double[] { 1.0 }, 1);
        var d = mmps.Score(x, t);   // prior score 0 at x = 0, sigma^2 / mu = 1: the score is d itself
        double norm = d.Square().Sum().Sqrt().ToDouble();
        Assert.Equal(expectedNorm, norm, 1e-9);
        Assert.Equal(0.0, d.Flatten().ToDoubleArray()[1], 12);
    }
}
