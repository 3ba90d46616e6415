using Scorpio.Torch.Interop;

namespace Scorpio.Torch;

// Element-wise arithmetic, comparisons and unary functions.
public sealed partial class Tensor
{
    public Tensor Add(Tensor other, double alpha = 1) => Aten.Add_Tensor(this, other, alpha == 1 ? null : alpha);
    public Tensor Add(double other) => Aten.Add_Scalar(this, other);
    public Tensor Sub(Tensor other, double alpha = 1) => Aten.Sub_Tensor(this, other, alpha == 1 ? null : alpha);
    public Tensor Sub(double other) => Aten.Sub_Scalar(this, other);
    public Tensor Mul(Tensor other) => Aten.Mul_Tensor(this, other);
    public Tensor Mul(double other) => Aten.Mul_Scalar(this, other);
    public Tensor Div(Tensor other) => Aten.Div_Tensor(this, other);
    public Tensor Div(double other) => Aten.Div_Scalar(this, other);
    public Tensor Pow(double exponent) => Aten.Pow_TensorScalar(this, exponent);
    public Tensor Pow(Tensor exponent) => Aten.Pow_TensorTensor(this, exponent);
    public Tensor Neg() => Aten.Neg(this);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator -(double a, Tensor b) => Aten.Rsub_Scalar(b, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator /(double a, Tensor b) { using var r = b.Reciprocal(); return r.Mul(a); }
    public static Tensor operator -(Tensor a) => a.Neg();

    // In-place updates return this tensor (the dispatcher's alias handle is freed at once).
    private Tensor Self(Tensor alias) { alias.Dispose(); return this; }
    public Tensor Add_(Tensor other, double alpha = 1) => Self(Aten.AddInplace_Tensor(this, other, alpha == 1 ? null : alpha));
    public Tensor Add_(double other) => Self(Aten.AddInplace_Scalar(this, other));
    public Tensor Sub_(Tensor other) => Self(Aten.SubInplace_Tensor(this, other));
    public Tensor Mul_(Tensor other) => Self(Aten.MulInplace_Tensor(this, other));
    public Tensor Mul_(double other) => Self(Aten.MulInplace_Scalar(this, other));
    public Tensor Div_(Tensor other) => Self(Aten.DivInplace_Tensor(this, other));
    public Tensor Div_(double other) => Self(Aten.DivInplace_Scalar(this, other));
    public Tensor Addcmul_(Tensor t1, Tensor t2, double value = 1) => Self(Aten.AddcmulInplace(this, t1, t2, value));
    public Tensor Addcdiv_(Tensor t1, Tensor t2, double value = 1) => Self(Aten.AddcdivInplace(this, t1, t2, value));
    public Tensor Lerp_(Tensor end, double weight) => Self(Aten.LerpInplace_Scalar(this, end, weight));
    public Tensor Copy_(Tensor src) => Self(Aten.CopyInplace(this, src));
    public Tensor Zero_() => Self(Aten.ZeroInplace(this));
    public Tensor Fill_(double value) => Self(Aten.FillInplace_Scalar(this, value));
    public Tensor Clamp_(double? min = null, double? max = null) => Self(Aten.ClampInplace(this, min, max));
    public Tensor Sqrt_() => Self(Aten.SqrtInplace(this));
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null) => Self(Aten.NormalInplace(this, mean, std, generator));
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null) => Self(Aten.UniformInplace(this, from, to, generator));

    public Tensor Sqrt() => Aten.Sqrt(this);
    public Tensor Rsqrt() => Aten.Rsqrt(this);
    public Tensor Exp() => Aten.Exp(this);
    public Tensor Log() => Aten.Log(this);
    public Tensor Log1p() => Aten.Log1p(this);
    public Tensor Expm1() => Aten.Expm1(this);
    public Tensor Log10() => Aten.Log10(this);
    public Tensor Abs() => Aten.Abs(this);
    public Tensor Sign() => Aten.Sign(this);
    public Tensor Sin() => Aten.Sin(this);
    public Tensor Cos() => Aten.Cos(this);
    public Tensor Tan() => Aten.Tan(this);
    public Tensor Atan() => Aten.Atan(this);
    public Tensor Tanh() => Aten.Tanh(this);
    public Tensor Sigmoid() => Aten.Sigmoid(this);
    public Tensor Square() => Aten.Square(this);
    public Tensor Reciprocal() => Aten.Reciprocal(this);
    public Tensor Floor() => Aten.Floor(this);
    public Tensor Round() => Aten.Round(this);
    public Tensor Asinh() => Aten.Asinh(this);
    public Tensor Sinh() => Aten.Sinh(this);
    public Tensor Erf() => Aten.Erf(this);
    public Tensor Maximum(Tensor other) => Aten.Maximum(this, other);
    public Tensor Minimum(Tensor other) => Aten.Minimum(this, other);
    public Tensor Clamp(double? min = null, double? max = null) => Aten.Clamp(this, min, max);
    public Tensor Clamp(Tensor? min, Tensor? max) => Aten.Clamp_Tensor(this, min, max);
    public Tensor NanToNum(double nan = 0, double? posinf = null, double? neginf = null) => Aten.NanToNum(this, nan, posinf, neginf);
    public Tensor Real() => Aten.Real(this);
    public Tensor Imag() => Aten.Imag(this);
    public Tensor ViewAsReal() => Aten.ViewAsReal(this);
    public Tensor ViewAsComplex() => Aten.ViewAsComplex(this);
    public Tensor Conj() => Aten.ConjPhysical(this);

    public Tensor Eq(double v) => Aten.Eq_Scalar(this, v);
    public Tensor Eq(Tensor v) => Aten.Eq_Tensor(this, v);
    public Tensor Ne(double v) => Aten.Ne_Scalar(this, v);
    public Tensor Gt(double v) => Aten.Gt_Scalar(this, v);
    public Tensor Gt(Tensor v) => Aten.Gt_Tensor(this, v);
    public Tensor Lt(double v) => Aten.Lt_Scalar(this, v);
    public Tensor Lt(Tensor v) => Aten.Lt_Tensor(this, v);
    public Tensor Ge(double v) => Aten.Ge_Scalar(this, v);
    public Tensor Le(double v) => Aten.Le_Scalar(this, v);
    public Tensor LogicalAnd(Tensor o) => Aten.LogicalAnd(this, o);
    public Tensor LogicalOr(Tensor o) => Aten.LogicalOr(this, o);
    public Tensor LogicalNot() => Aten.LogicalNot(this);
    public Tensor IsNan() => Aten.Isnan(this);
    public Tensor IsFinite() => Aten.Isfinite(this);
    public Tensor MaskedFill(Tensor mask, double value) => Aten.MaskedFill_Scalar(this, mask, value);
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) => Aten.Allclose(this, other, rtol, atol);
    public bool Equal(Tensor other) => Aten.Equal(this, other);
}
