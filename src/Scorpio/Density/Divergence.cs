using Scorpio.Torch;

namespace Scorpio.Density;

/// <summary>
/// Divergence sum_i d f_i / d x_i of a per-sample map f (sample b of the output depends only on sample b of
/// the input, as for score networks without batch statistics), via reverse-mode autograd. Gradients are recorded
/// here even inside a NoGrad block (not inside InferenceMode, whose tensors cannot enter autograd).
/// </summary>
public static class Divergence
{
    /// <summary>f(x) (detached) and its exact divergence (B,) in float64: one vector-Jacobian product per dimension.</summary>
    public static (Tensor Value, Tensor Divergence) Exact(Func<Tensor, Tensor> f, Tensor x)
    {
        using var grad = torch.EnableGrad();
        using var scope = torch.NewDisposeScope();
        var xg = x.Detach().RequiresGrad_();
        var y = f(xg);
        long batch = x.Size(0), dims = x.Numel / batch;
        var eye = torch.Eye(dims, x.DType, x.Device);
        var div = torch.Zeros([batch], DType.Float64, x.Device);
        for (long j = 0; j < dims; j++)
        {
            var unit = eye.Select(0, j).Expand(batch, dims).Reshape(x.Shape);
            var vjp = torch.Grad([y], [xg], [unit], retainGraph: j + 1 < dims)[0]!;
            div = div.Add(vjp.Flatten(1).Select(1, j).To(DType.Float64));
        }
        return (y.Detach().MoveToOuterDisposeScope(), div.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// f(x) (detached) and the Hutchinson estimate (B,) in float64, averaged over <paramref name="probes"/>
    /// (each shaped like x, with E[v v^T] = I): unbiased, one vector-Jacobian product per probe.
    /// </summary>
    public static (Tensor Value, Tensor Divergence) Hutchinson(Func<Tensor, Tensor> f, Tensor x, IReadOnlyList<Tensor> probes)
    {
        if (probes.Count == 0) throw new ArgumentException("Hutchinson needs at least one probe");
        using var grad = torch.EnableGrad();
        using var scope = torch.NewDisposeScope();
        var xg = x.Detach().RequiresGrad_();
        var y = f(xg);
        var div = torch.Zeros([x.Size(0)], DType.Float64, x.Device);
        for (int k = 0; k < probes.Count; k++)
        {
            var vjp = torch.Grad([y], [xg], [probes[k]], retainGraph: k + 1 < probes.Count)[0]!;
            div = div.Add(vjp.Mul(probes[k]).Flatten(1).Sum(1).To(DType.Float64));
        }
        return (y.Detach().MoveToOuterDisposeScope(), div.Div(probes.Count).MoveToOuterDisposeScope());
    }
}
