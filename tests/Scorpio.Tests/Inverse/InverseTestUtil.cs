using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>Small helpers shared by the inverse-problem tests (float64 inner products, seeded draws).</summary>
internal static class InverseTestUtil
{
    public static double Inner(Tensor a, Tensor b)
    {
        using var p = a.Mul(b);
        using var s = p.Sum();
        return s.ToDouble();
    }

    public static double Norm(Tensor a) => Math.Sqrt(Inner(a, a));

    public static Tensor Randn(long[] shape, ulong seed, DType dtype = DType.Float64)
    {
        using var g = new Generator(seed);
        return torch.Randn(shape, g, dtype);
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = a.Sub(b);
        using var ab = d.Abs();
        using var m = ab.Max();
        return m.ToDouble();
    }
}
