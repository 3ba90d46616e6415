using Scorpio.Torch.Interop;

namespace Scorpio.Torch;

// Functional network layers (PyTorch's torch.nn.functional).
public static partial class torch
{
    /// <summary>2-D convolution; <paramref name="padding"/> in pixels on each side.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Aten.Conv2d(input, weight, bias, [stride, stride], [padding, padding], [dilation, dilation], groups);

    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, long dilation = 1) =>
        Aten.ConvTranspose2d_Input(input, weight, bias, [stride, stride], [padding, padding], [outputPadding, outputPadding], groups, [dilation, dilation]);

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Aten.Linear(input, weight, bias);
    public static Tensor GroupNorm(Tensor input, long groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) => Aten.GroupNorm(input, groups, weight, bias, eps);
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) => Aten.LayerNorm(input, normalizedShape, weight, bias, eps);
    public static Tensor SiLU(Tensor x) => Aten.Silu(x);
    public static Tensor Mish(Tensor x) => Aten.Mish(x);
    /// <summary>GELU; <paramref name="approximate"/> "none" or "tanh".</summary>
    public static Tensor GELU(Tensor x, string approximate = "none") => Aten.Gelu(x, approximate);
    public static Tensor ReLU(Tensor x) => Aten.Relu(x);
    public static Tensor ELU(Tensor x) => Aten.Elu(x);
    public static Tensor LeakyReLU(Tensor x, double slope = 0.01) => Aten.LeakyRelu(x, slope);
    public static Tensor Softplus(Tensor x) => Aten.Softplus(x);
    public static Tensor Softmax(Tensor x, long dim) => Aten.Softmax_Int(x, dim);
    public static Tensor LogSoftmax(Tensor x, long dim) => Aten.LogSoftmax_Int(x, dim);
    /// <summary>Inverted dropout with probability <paramref name="p"/>; identity when not <paramref name="training"/>.
    /// Uses libtorch's global generator (seed it with <see cref="ManualSeed"/>).</summary>
    public static Tensor Dropout(Tensor x, double p, bool training) => Aten.Dropout(x, p, training);
    public static Tensor AvgPool2d(Tensor x, long kernel, long? stride = null, long padding = 0) =>
        Aten.AvgPool2d(x, [kernel, kernel], [stride ?? kernel, stride ?? kernel], [padding, padding]);
    public static Tensor MaxPool2d(Tensor x, long kernel, long? stride = null) => Aten.MaxPool2d(x, [kernel, kernel], [stride ?? kernel, stride ?? kernel]);
    /// <summary>Resizes the last two axes: mode "nearest", "bilinear" or "bicubic"; give a size or a scale factor.</summary>
    public static Tensor Interpolate(Tensor x, long[]? size = null, double? scaleFactor = null, string mode = "nearest", bool alignCorners = false)
    {
        double[]? scales = scaleFactor is null ? null : [scaleFactor.Value, scaleFactor.Value];
        if (size is null && scales is null) throw new ArgumentException("Interpolate needs a size or a scale factor");
        return mode switch
        {
            "nearest" => Aten.UpsampleNearest2d_Vec(x, size, scales),
            "bilinear" => Aten.UpsampleBilinear2d_Vec(x, size, alignCorners, scales),
            "bicubic" => Aten.UpsampleBicubic2d_Vec(x, size, alignCorners, scales),
            _ => throw new ArgumentException($"unknown interpolation mode '{mode}' (nearest, bilinear, bicubic)"),
        };
    }
    /// <summary>Pads the last axes: <paramref name="pad"/> = (left, right, top, bottom, ...); mode constant, reflect, replicate or circular.</summary>
    public static Tensor Pad(Tensor x, long[] pad, string mode = "constant", double value = 0) =>
        mode == "constant" ? Aten.ConstantPadNd(x, pad, value) : Aten.Pad(x, pad, mode, null);
    /// <summary>Samples <paramref name="input"/> at normalised coordinates <paramref name="grid"/> (N,H,W,2) in [-1,1]; bilinear, zero padding.</summary>
    public static Tensor GridSample(Tensor input, Tensor grid, bool alignCorners = false) => Aten.GridSampler(input, grid, 0, 0, alignCorners);
    public static Tensor MseLoss(Tensor a, Tensor b) => Aten.MseLoss(a, b);
    public static Tensor L1Loss(Tensor a, Tensor b) => Aten.L1Loss(a, b);
    public static Tensor PixelShuffle(Tensor x, long factor) => Aten.PixelShuffle(x, factor);
    public static Tensor PixelUnshuffle(Tensor x, long factor) => Aten.PixelUnshuffle(x, factor);

    /// <summary>
    /// softmax(q k^T / sqrt(d)) v over the last two axes of (..., L, d) tensors, built from
    /// matmul and softmax so it runs on every libtorch version (1.13 has no fused kernel).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v)
    {
        using var kt = k.MT;
        using var logits = q.Matmul(kt);
        using var scaled = logits.Mul(1.0 / Math.Sqrt(q.Size(-1)));
        using var weights = Softmax(scaled, -1);
        return weights.Matmul(v);
    }
}
