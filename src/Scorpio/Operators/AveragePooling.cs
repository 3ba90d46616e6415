using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Average pooling by an integer factor K: each observed pixel is the mean of a K x K block of model pixels,
/// so a model grid K times finer than the observation (Adam et al. 2023) maps to the observed pixel scale. Surface
/// brightness (flux per pixel area) is conserved; flux per pixel is divided by K^2 relative to a sum.
/// Adjoint: each observed value spread over its block, divided by K^2.
/// </summary>
public sealed class AveragePooling : ForwardOperator
{
    private readonly long[] _in, _out;

    public AveragePooling(int factor, long[] inputShape)
    {
        _in = OperatorShapes.Check(inputShape, "pool");
        if (factor < 1) throw new UserInputException($"the pooling factor must be a positive integer (got {factor})");
        if (_in[1] % factor != 0 || _in[2] % factor != 0)
            throw new UserInputException($"the model image is {_in[1]}x{_in[2]} pixels, not divisible by the pooling factor {factor}: " +
                $"the model grid must be exactly {factor}x the observed grid");
        Factor = factor;
        _out = [_in[0], _in[1] / factor, _in[2] / factor];
    }

    /// <summary>Model pixels per observed pixel along each axis.</summary>
    public int Factor { get; }

    public override long[] InputShape => _in;
    public override long[] OutputShape => _out;
    public override string Name => $"pool({Factor})";

    public override Tensor Apply(Tensor x)
    {
        CheckInput(x);
        return Factor == 1 ? x.Alias() : torch.AvgPool2d(x, Factor);
    }

    public override Tensor Adjoint(Tensor y)
    {
        CheckOutput(y);
        if (Factor == 1) return y.Alias();
        long b = y.Size(0), c = _out[0], h = _out[1], w = _out[2], k = Factor;
        using var v = y.Reshape(b, c, h, 1, w, 1);
        using var e = v.Expand(b, c, h, k, w, k);
        using var r = e.Reshape(b, c, h * k, w * k);
        return r.Div((double)(k * k));
    }
}
