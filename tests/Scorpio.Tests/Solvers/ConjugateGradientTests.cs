using Scorpio.Solvers;
using Scorpio.Torch;

namespace Scorpio.Tests.Solvers;

/// <summary>
/// The batched conjugate gradient against a direct solve, in float64. CG on an n x n SPD system is exact after n
/// iterations in exact arithmetic; with n = 12 and condition number ~30 it reaches rounding level (bound 1e-9 relative),
/// so a wrong step size, a shared (not per-item) step or a sign error shows as O(1).
/// </summary>
public class ConjugateGradientTests
{
    public ConjugateGradientTests() => torch.NumThreads = 2;

    private static Tensor Spd(Generator rng, int n)
    {
        var a = torch.Randn([n, n], rng, DType.Float64);
        return a.Matmul(a.MT).Add(torch.Eye(n, DType.Float64).Mul(n * 0.5));
    }

    [Fact]
    public void SolvesEachBatchItemWithItsOwnMatrix()
    {
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(7);
        const int n = 12;
        var k0 = Spd(rng, n);
        var k1 = Spd(rng, n).Mul(10.0);   // a different scale per item: steps must not be shared
        var b = torch.Randn([2, n], rng, DType.Float64);
        Tensor Apply(Tensor v) => torch.Stack([k0.Matmul(v.Select(0, 0)), k1.Matmul(v.Select(0, 1))], 0);
        var u = ConjugateGradient.Solve(Apply, b, iterations: 3 * n);
        var exact = torch.Stack([torch.Solve(k0, b.Select(0, 0)), torch.Solve(k1, b.Select(0, 1))], 0);
        double err = u.Sub(exact).Abs().Max().ToDouble() / exact.Abs().Max().ToDouble();
        Assert.True(err < 1e-9, $"relative error {err:g3}");
    }

    [Fact]
    public void ZeroRightHandSideAndMaskedDirectionsStayZero()
    {
        using var scope = torch.NewDisposeScope();
        using var rng = new Generator(8);
        const int n = 6;
        // K = diag(mask) K' diag(mask) + nothing elsewhere: singular on the masked coordinates, as a masked likelihood.
        var mask = torch.FromArray(new double[] { 1, 1, 0, 1, 0, 1 }, n);
        var k = Spd(rng, n);
        Tensor Apply(Tensor v) => k.Matmul(v.Mul(mask).MT).MT.Mul(mask);
        var b = torch.Randn([2, n], rng, DType.Float64).Mul(mask);
        b = torch.Stack([b.Select(0, 0), b.Select(0, 1).Mul(0.0)], 0);
        var u = ConjugateGradient.Solve(Apply, b, iterations: 20);
        Assert.False(u.IsNan().Any().ToBool(), "NaN from a zero residual");
        Assert.Equal(0.0, u.Select(0, 1).Abs().Max().ToDouble());
        Assert.Equal(0.0, u.Select(0, 0).Mul(mask.Neg().Add(1.0)).Abs().Max().ToDouble());
        var residual = Apply(u).Sub(b).Abs().Max().ToDouble();
        Assert.True(residual < 1e-9, $"residual {residual:g3} on the observed coordinates");
    }
}
