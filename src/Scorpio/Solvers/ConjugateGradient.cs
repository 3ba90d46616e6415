using Scorpio.Torch;

namespace Scorpio.Solvers;

/// <summary>
/// Batched, matrix-free (preconditioned) conjugate gradient for K u = b with K symmetric positive (semi-)definite per batch
/// item: b is (B, ...) and every item has its own step sizes, so one call solves B independent systems. With a fixed
/// iteration count (no tolerance) nothing is read back to the host, which keeps posterior samplers free of device
/// round trips; with a tolerance the stopping test reads one number per iteration. Directions where K is zero (masked
/// pixels) stay at zero: their residual is zero from the start and every step size is guarded against 0/0.
/// </summary>
public static class ConjugateGradient
{
    /// <summary>
    /// u with K u ~ b after at most <paramref name="iterations"/> iterations, starting from <paramref name="initial"/>
    /// (zero when null). <paramref name="apply"/> computes K v for a batch v shaped like b (called once per iteration);
    /// <paramref name="precondition"/> applies an SPD approximation of K^-1 (identity when null). With
    /// <paramref name="tolerance"/> it stops when every item's ||b - K u|| / ||b|| is below it. A new tensor.
    /// </summary>
    public static Tensor Solve(Func<Tensor, Tensor> apply, Tensor b, int iterations, Func<Tensor, Tensor>? precondition = null,
        Tensor? initial = null, double? tolerance = null) =>
        Solve(apply, b, iterations, precondition, initial, tolerance, out _);

    /// <inheritdoc cref="Solve(Func{Tensor, Tensor}, Tensor, int, Func{Tensor, Tensor}?, Tensor?, double?)"/>
    /// <param name="used">the iterations run (fewer than <paramref name="iterations"/> only when the tolerance was met).</param>
    public static Tensor Solve(Func<Tensor, Tensor> apply, Tensor b, int iterations, Func<Tensor, Tensor>? precondition,
        Tensor? initial, double? tolerance, out int used)
    {
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), $"must be >= 0 (got {iterations})");
        using var scope = torch.NewDisposeScope();
        var dims = Enumerable.Range(1, b.Dim - 1).Select(d => (long)d).ToArray();
        Tensor Dot(Tensor x, Tensor y) { using var p = x.Mul(y); return p.Sum(dims, keepDim: true); }
        Tensor Precondition(Tensor r) => precondition is null ? r.Alias() : precondition(r);
        // a / c where c > 0, else 0: a zero residual (converged or fully masked) must not produce NaN.
        static Tensor SafeDivide(Tensor a, Tensor c)
        {
            using var positive = c.Gt(0.0);
            using var safe = torch.Where(positive, c, 1.0);
            using var q = a.Div(safe);
            return torch.Where(positive, q, 0.0);
        }

        var bNorm = tolerance is null ? null : Dot(b, b).Sqrt().Clamp(1e-300);
        var u = initial is null ? torch.ZerosLike(b) : initial.Clone();
        var res = initial is null ? b.Clone() : b.Sub(apply(u));
        var p = Precondition(res);
        var rz = Dot(res, p);
        int k = 0;
        for (; k < iterations; k++)
        {
            if (bNorm is not null)
                using (torch.NewDisposeScope())
                    if (Dot(res, res).Sqrt().Div(bNorm).Max().ToDouble() < tolerance) break;
            // Each iteration in its own scope: only the new state survives it.
            using var step = torch.NewDisposeScope();
            var kp = apply(p);
            var alpha = SafeDivide(rz, Dot(p, kp));
            var uNext = u.Add(p.Mul(alpha)).MoveToOuterDisposeScope();
            var resNext = res.Sub(kp.Mul(alpha)).MoveToOuterDisposeScope();
            var zNext = Precondition(resNext);
            var rzNext = Dot(resNext, zNext).MoveToOuterDisposeScope();
            var beta = SafeDivide(rzNext, rz);
            var pNext = zNext.Add(p.Mul(beta)).MoveToOuterDisposeScope();
            u.Dispose(); res.Dispose(); p.Dispose(); rz.Dispose();
            (u, res, p, rz) = (uNext, resNext, pNext, rzNext);
        }
        used = k;
        return u.MoveToOuterDisposeScope();
    }
}
