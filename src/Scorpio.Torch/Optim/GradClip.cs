using Scorpio.Torch.Interop;
using Scorpio.Torch.NN;

namespace Scorpio.Torch.Optim;

/// <summary>Gradient-norm clipping (PyTorch's clip_grad_norm_), which keeps rare large-loss batches from wrecking training.</summary>
public static class GradClip
{
    /// <summary>
    /// Computes the L2 norm of all gradients taken together and, when it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient in place by maxNorm / (norm + 1e-6).
    /// Returns the norm before clipping. A non-finite norm leaves the gradients untouched (the
    /// caller should skip the step). Parameters without a gradient are ignored.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (maxNorm <= 0) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"max norm {maxNorm} must be > 0");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.NoGrad();
        var grads = parameters.Select(p => p.Grad).Where(g => g is not null).Select(g => g!).ToArray();
        if (grads.Length == 0) return 0;
        double total = TotalNorm(grads).ToDouble();
        double coef = maxNorm / (total + 1e-6);
        if (double.IsFinite(total) && coef < 1)
            Aten.UnderscoreForeachMul_Scalar(grads, coef);
        return total;
    }

    /// <summary>
    /// <see cref="ClipGradNorm"/> without reading anything on the host (for training loops that must not wait for the
    /// device): scales every gradient by min(1, maxNorm / (norm + 1e-6)) on the device and returns the norm before
    /// clipping as a float64 scalar tensor (owned by the caller's dispose scope). A non-finite norm makes the gradients
    /// non-finite too; the caller sees it when it next reads the norm or the loss.
    /// </summary>
    public static Tensor ClipGradNormOnDevice(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (maxNorm <= 0) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"max norm {maxNorm} must be > 0");
        using var noGrad = torch.NoGrad();
        var grads = parameters.Select(p => p.Grad).Where(g => g is not null).Select(g => g!).ToArray();
        if (grads.Length == 0) return torch.Zeros([], DType.Float64);
        Tensor total, coef;
        using (var inner = torch.NewDisposeScope())
        {
            total = TotalNorm(grads).MoveToOuterDisposeScope();
            coef = ((total + 1e-6).Reciprocal() * maxNorm).Clamp(max: 1.0).To(grads[0].DType).MoveToOuterDisposeScope();
        }
        Aten.UnderscoreForeachMul_List(grads, Enumerable.Repeat(coef, grads.Length).ToArray());
        coef.Dispose();
        return total;
    }

    // The L2 norm of all gradients together, accumulated in float64 so a float32 model's total is not rounded twice.
    private static Tensor TotalNorm(Tensor[] grads)
    {
        using var scope = torch.NewDisposeScope();
        var norms = Aten.UnderscoreForeachNorm_Scalar(grads, 2.0);
        return torch.Stack(norms.Select(n => n.To(DType.Float64)).ToArray()).Norm().MoveToOuterDisposeScope();
    }
}
