using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Another operator used without owning it: a composite can include an operator that lives elsewhere (the inverse
/// problem's physical A inside the prior-units operator A o diag(p)) without disposing it. Delegates everything.
/// </summary>
internal sealed class BorrowedOperator(ForwardOperator inner) : ForwardOperator
{
    public override long[] InputShape => inner.InputShape;
    public override long[] OutputShape => inner.OutputShape;
    public override string Name => inner.Name;
    public override bool IsLinear => inner.IsLinear;
    public override Tensor Apply(Tensor x) => inner.Apply(x);
    public override Tensor Adjoint(Tensor y) => inner.Adjoint(y);
}
