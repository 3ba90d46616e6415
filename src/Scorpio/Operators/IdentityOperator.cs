using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>A = I: denoising (Salhi et al. 2024, the JWST SOSS traces). Input and output shapes are equal.</summary>
public sealed class IdentityOperator(long[] shape) : ForwardOperator
{
    private readonly long[] _shape = OperatorShapes.Check(shape, "identity");

    public override long[] InputShape => _shape;
    public override long[] OutputShape => _shape;
    public override string Name => "identity";

    public override Tensor Apply(Tensor x) { CheckInput(x); return x.Alias(); }
    public override Tensor Adjoint(Tensor y) { CheckOutput(y); return y.Alias(); }
}
