using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Geometric distortion by bilinear interpolation (Adam et al. 2023): output pixel (i, j) takes the model image at the
/// position given by a coordinate map, interpolating between the four surrounding model pixels; positions
/// outside the model image read zeros. The map usually comes from the observation's WCS (model pixel
/// coordinates of every observed pixel centre). Written as a sparse matrix with four entries per row:
/// Apply gathers, Adjoint scatter-adds with the same weights, so the adjoint is exact.
/// </summary>
public sealed class BilinearWarp : ForwardOperator
{
    private readonly long[] _in, _out;
    private readonly Tensor _index;   // (4, H' W') int64 flat indices into H W
    private readonly Tensor _weight;  // (4, H' W') float64, zero where the corner is outside

    /// <param name="coordinates">(2, H', W'): plane 0 = model x (column) and plane 1 = model y (row) of every
    /// output pixel, 0-based, pixel centres at integers.</param>
    /// <param name="inputShape">model image shape (C, H, W).</param>
    public BilinearWarp(Tensor coordinates, long[] inputShape)
    {
        _in = OperatorShapes.Check(inputShape, "warp");
        if (coordinates.Dim != 3 || coordinates.Size(0) != 2)
            throw new UserInputException($"a coordinate map for the warp has shape (2, H, W) (x then y model pixel coordinates); got {string.Join("x", coordinates.Shape)}");
        long ho = coordinates.Size(1), wo = coordinates.Size(2), h = _in[1], w = _in[2];
        _out = [_in[0], ho, wo];
        var c = coordinates.ToDoubleArray();
        long n = ho * wo;
        var idx = new long[4 * n];
        var wt = new double[4 * n];
        for (long p = 0; p < n; p++)
        {
            double x = c[p], y = c[n + p];
            if (!double.IsFinite(x) || !double.IsFinite(y))
                throw new UserInputException($"the warp's coordinate map has a non-finite value at output pixel {p / wo},{p % wo}");
            long x0 = (long)Math.Floor(x), y0 = (long)Math.Floor(y);
            double fx = x - x0, fy = y - y0;
            for (int k = 0; k < 4; k++)
            {
                long xi = x0 + (k & 1), yi = y0 + (k >> 1);
                double weight = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
                bool inside = xi >= 0 && xi < w && yi >= 0 && yi < h;
                idx[k * n + p] = inside ? yi * w + xi : 0;
                wt[k * n + p] = inside ? weight : 0;
            }
        }
        _index = Own(torch.FromArray(idx, 4, n));
        _weight = Own(torch.FromArray(wt, 4, n));
    }

    public override long[] InputShape => _in;
    public override long[] OutputShape => _out;
    public override string Name => "warp(bilinear)";

    public override Tensor Apply(Tensor x)
    {
        CheckInput(x);
        long b = x.Size(0), c = _in[0], n = _out[1] * _out[2];
        using var flat = x.Reshape(b, c, _in[1] * _in[2]);
        var index = Constant(_index, x);
        var weight = Constant(_weight, x);
        Tensor? acc = null;
        for (int k = 0; k < 4; k++)
        {
            using var ik = index.Select(0, k);
            using var ie = ik.Expand(b, c, n);
            using var gathered = flat.Gather(2, ie);
            using var wk = weight.Select(0, k);
            using var term = gathered.Mul(wk);
            var next = acc is null ? term.Alias() : acc.Add(term);
            acc?.Dispose();
            acc = next;
        }
        using (acc) return acc!.Reshape(b, c, _out[1], _out[2]);
    }

    public override Tensor Adjoint(Tensor y)
    {
        CheckOutput(y);
        long b = y.Size(0), c = _in[0], n = _out[1] * _out[2];
        using var flat = y.Reshape(b, c, n);
        var index = Constant(_index, y);
        var weight = Constant(_weight, y);
        var acc = torch.Zeros([b, c, _in[1] * _in[2]], y.DType, y.Device);
        for (int k = 0; k < 4; k++)
        {
            using var ik = index.Select(0, k);
            using var ie = ik.Expand(b, c, n);
            using var wk = weight.Select(0, k);
            using var src = flat.Mul(wk);
            var next = torch.ScatterAdd(acc, 2, ie, src);
            acc.Dispose();
            acc = next;
        }
        using (acc) return acc.Reshape(b, c, _in[1], _in[2]);
    }
}
