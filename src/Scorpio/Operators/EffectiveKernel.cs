using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// The effective kernel Pi_k of a forward model (Adam et al. 2023, appendix B): the column of A for the central model
/// pixel k, i.e. the response A e_k to a unit point at the image centre, as an image in observation space.
/// It is extracted with a Jacobian-vector product, as the paper does with torch.func.jvp; libtorch has no
/// forward mode here, so the JVP is the "double VJP": g(u) = J^T u is linear in u, and the VJP of g with
/// respect to u in the direction e_k is J e_k. This works for non-linear A too (the JVP at x0); for linear A
/// it equals A e_k (checked by the tests). For several channels a unit point is placed at the centre of every
/// channel at once, which gives each band's kernel when the operator does not mix bands.
/// </summary>
public static class EffectiveKernel
{
    /// <summary>J_A(x0) e_k with x0 = 0 (or <paramref name="at"/>), shape (C', H', W'), float64.</summary>
    public static Tensor Extract(ForwardOperator a, Tensor? at = null)
    {
        using var scope = torch.NewDisposeScope();
        using var grad = torch.EnableGrad();
        var x0 = at is null ? torch.Zeros([1, .. a.InputShape], DType.Float64) : at.To(DType.Float64);
        if (x0.Dim == 3) x0 = x0.Unsqueeze(0);
        x0.RequiresGrad = true;
        var y = a.Apply(x0);
        var u = torch.Zeros(y.Shape, DType.Float64);
        u.RequiresGrad = true;
        var g = torch.Grad([y], [x0], [u], createGraph: true)[0]
            ?? throw new InvalidOperationException($"{a.Name}: the output does not depend on the input");
        var delta = CentreDelta(a.InputShape);
        var jvp = torch.Grad([g], [u], [delta], allowUnused: true)[0] ?? torch.ZerosLike(u);
        return jvp.Squeeze(0).Detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A A^T e_c: the row of the Gram matrix A A^T for the central observed pixel (of every channel), shape (C', H', W'),
    /// float64. Its FFT is the circulant approximation of A A^T used by the Fourier form of the Gaussian likelihood.
    /// </summary>
    public static Tensor GramRow(ForwardOperator a)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var delta = CentreDelta(a.OutputShape);
        var back = a.Adjoint(delta);
        var forward = a.Apply(back);
        return forward.Squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>A batch of one image (1, C, H, W), float64, with 1 at the centre (H/2, W/2) of every channel.</summary>
    public static Tensor CentreDelta(long[] shape)
    {
        var data = new double[shape[0] * shape[1] * shape[2]];
        for (long c = 0; c < shape[0]; c++) data[(c * shape[1] + shape[1] / 2) * shape[2] + shape[2] / 2] = 1;
        return torch.FromArray(data, 1, shape[0], shape[1], shape[2]);
    }
}
