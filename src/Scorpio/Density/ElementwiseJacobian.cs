using Scorpio.Torch;

namespace Scorpio.Density;

/// <summary>
/// log|det dN/dx| of an ELEMENTWISE map N (each output pixel depends only on the same input pixel, as for the
/// clip, asinh, min-max-over-the-dataset and standardising normalisations): the Jacobian is diagonal, and its
/// diagonal is the gradient of sum(N(x)). Not valid for maps that mix pixels (per-image min-max).
/// </summary>
public static class ElementwiseJacobian
{
    /// <summary>
    /// Per-sample log|det| (B,) in nats. -infinity where a derivative is 0 (e.g. a clipped pixel, whose density in
    /// physical units does not exist).
    /// </summary>
    public static double[] LogAbsDet(Func<Tensor, Tensor> map, Tensor x)
    {
        using var grad = torch.EnableGrad();
        using var scope = torch.NewDisposeScope();
        var xg = x.Detach().To(DType.Float64).RequiresGrad_();
        var y = map(xg);
        var d = torch.Grad([y.Sum()], [xg])[0]!;
        return d.Abs().Log().Flatten(1).Sum(1).ToDoubleArray();
    }
}
