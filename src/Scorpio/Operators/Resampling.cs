using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Resamples the image by a scale factor S (output size round(S H) x round(S W)): a change of apparent size
/// (redshift) or of pixel scale (model grid to the instrument's pixels), applied before the PSF as in the
/// DPS paper (Spagnoletti et al. 2024). The map is separable, y = R_h x R_w^T, with explicit 1-D weight matrices, so the
/// adjoint R_h^T y R_w is exact. Pixel centres map as (i + 0.5) H/H' - 0.5. With <see cref="ConserveFlux"/>
/// (default) the weights are multiplied by H W / (H' W'), so the total flux of the image is kept (pixel
/// values are flux per pixel); without it surface brightness is kept.
/// </summary>
public sealed class Resampling : ForwardOperator
{
    private readonly long[] _in, _out;
    private readonly Tensor _rh;   // (H', H)
    private readonly Tensor _rwT;  // (W, W')
    private readonly Tensor _rhT;  // (H, H')
    private readonly Tensor _rw;   // (W', W)

    /// <param name="scale">output pixels per input pixel along each axis (0.5 halves the size).</param>
    /// <param name="inputShape">(C, H, W).</param>
    /// <param name="mode">interpolation (area when shrinking, bilinear when enlarging by default).</param>
    /// <param name="conserveFlux">keep the image sum (true) or the surface brightness (false).</param>
    public Resampling(double scale, long[] inputShape, ResamplingMode mode = ResamplingMode.Auto, bool conserveFlux = true)
        : this(inputShape, ScaledSize(inputShape, scale), mode, conserveFlux) => Scale = scale;

    /// <summary>Resamples to an explicit output size (H', W').</summary>
    public Resampling(long[] inputShape, long[] outputSize, ResamplingMode mode = ResamplingMode.Auto, bool conserveFlux = true)
    {
        _in = OperatorShapes.Check(inputShape, "resample");
        if (outputSize.Length != 2 || outputSize.Any(s => s < 1))
            throw new UserInputException($"resampling to {string.Join("x", outputSize)} pixels: the output must be at least 1x1");
        _out = [_in[0], outputSize[0], outputSize[1]];
        Mode = mode;
        ConserveFlux = conserveFlux;
        Scale = (double)outputSize[0] / _in[1];
        _rh = Own(Matrix(_in[1], _out[1]));
        _rw = Own(Matrix(_in[2], _out[2]));
        using var rhT = _rh.MT;
        using var rwT = _rw.MT;
        _rhT = Own(rhT.Contiguous());
        _rwT = Own(rwT.Contiguous());
    }

    /// <summary>Scale factor along the first image axis (output/input pixels).</summary>
    public double Scale { get; }
    public ResamplingMode Mode { get; }
    public bool ConserveFlux { get; }

    public override long[] InputShape => _in;
    public override long[] OutputShape => _out;
    public override string Name => $"resample({Scale:g4}, {Mode.ToString().ToLowerInvariant()}{(ConserveFlux ? ", flux" : "")})";

    public override Tensor Apply(Tensor x)
    {
        CheckInput(x);
        using var rows = torch.Matmul(Constant(_rh, x), x);
        return rows.Matmul(Constant(_rwT, x));
    }

    public override Tensor Adjoint(Tensor y)
    {
        CheckOutput(y);
        using var rows = torch.Matmul(Constant(_rhT, y), y);
        return rows.Matmul(Constant(_rw, y));
    }

    private static long[] ScaledSize(long[] inputShape, double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale)) throw new UserInputException($"the resampling scale must be a positive number (got {scale})");
        OperatorShapes.Check(inputShape, "resample");
        return [Math.Max(1, (long)Math.Round(inputShape[1] * scale)), Math.Max(1, (long)Math.Round(inputShape[2] * scale))];
    }

    /// <summary>The (outSize, inSize) 1-D weight matrix, float64.</summary>
    private Tensor Matrix(long inSize, long outSize)
    {
        var m = new double[outSize * inSize];
        double ratio = (double)inSize / outSize;
        bool area = Mode == ResamplingMode.Area || (Mode == ResamplingMode.Auto && outSize < inSize);
        for (long i = 0; i < outSize; i++)
        {
            if (area)
            {
                // Footprint [i ratio, (i+1) ratio) in input pixel units; overlap with [j, j+1).
                double lo = i * ratio, hi = (i + 1) * ratio;
                for (long j = (long)Math.Floor(lo); j < Math.Min(inSize, (long)Math.Ceiling(hi)); j++)
                {
                    double overlap = Math.Min(hi, j + 1) - Math.Max(lo, j);
                    if (overlap > 0) m[i * inSize + j] += overlap / ratio;
                }
            }
            else
            {
                double src = Math.Max((i + 0.5) * ratio - 0.5, 0);
                long j0 = Math.Min((long)Math.Floor(src), inSize - 1);
                long j1 = Math.Min(j0 + 1, inSize - 1);
                double lambda = src - j0;
                m[i * inSize + j0] += 1 - lambda;
                m[i * inSize + j1] += lambda;
            }
        }
        if (ConserveFlux)
            for (int k = 0; k < m.Length; k++) m[k] *= ratio;
        return torch.FromArray(m, outSize, inSize);
    }
}
