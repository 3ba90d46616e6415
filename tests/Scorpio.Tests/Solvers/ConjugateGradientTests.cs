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

    /// <summary>
    /// The curvature floor: K = diag(1, 0.01), a broken "I + positive semi-definite" (as a network's Jacobian can make
    /// mmps' K), b = (1, 1). One iteration without the floor steps b'b / b'Kb = 2 / 1.01 along b; with minimumCurvature 1 the
    /// curvature b'Kb = 1.01 is raised to b'b = 2, the step is 1 and u = b, the solution of I u = b. On an SPD K >= I (every
    /// Rayleigh quotient >= 1) the floor changes nothing: 2n iterations still solve to 1e-9.
    /// </summary>
    [Fact]
    public void CurvatureFloorBoundsStepsWhereTheOperatorIsNotAsPromised()
    {
        using var scope = torch.NewDisposeScope();
        var b = torch.FromArray(new double[] { 1, 1 }, 1, 2);
        var d = torch.FromArray(new double[] { 1, 0.01 }, 1, 2);
        Tensor Broken(Tensor v) => v.Mul(d);
        Assert.Equal(new[] { 2 / 1.01, 2 / 1.01 }, ConjugateGradient.Solve(Broken, b, 1).Flatten().ToDoubleArray(), new ToleranceComparer(1e-12));
        Assert.Equal(new[] { 1.0, 1.0 }, ConjugateGradient.Solve(Broken, b, 1, minimumCurvature: 1).Flatten().ToDoubleArray(), new ToleranceComparer(1e-12));

        using var rng = new Generator(9);
        const int n = 8;
        var k = Spd(rng, n).Add(torch.Eye(n, DType.Float64));   // eigenvalues > n / 2 + 1 >= 1
        var rhs = torch.Randn([1, n], rng, DType.Float64);
        Tensor Apply(Tensor v) => k.Matmul(v.MT).MT;
        var u = ConjugateGradient.Solve(Apply, rhs, 2 * n, minimumCurvature: 1);
        double err = Apply(u).Sub(rhs).Abs().Max().ToDouble();
        Assert.True(err < 1e-9, $"residual {err:g3}");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
