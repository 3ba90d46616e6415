using Scorpio.Astro;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Folds a prior's affine normalisation into the inverse problem. The prior works in normalised units z with
/// physical x = p z + q (p, q per channel; read off the prior's inverse normalisation, which must be affine:
/// clip, min-max, standardize or none, not asinh). Then y = A x + eta = A(p z) + A(q) + eta, so the problem
/// in z is y' = A' z + eta with A' = A o diag(p) and y' = y - A(q): the noise and its units are unchanged,
/// so sigma and noise models stay in physical units. Samples come back to physical units with x = p z + q.
/// </summary>
public sealed class PriorUnits
{
    /// <summary>Per-channel scale p (physical per normalised unit).</summary>
    public double[] Scale { get; }

    /// <summary>Per-channel offset q (physical units).</summary>
    public double[] Offset { get; }

    public PriorUnits(double[] scale, double[] offset)
    {
        if (scale.Length != offset.Length) throw new ArgumentException("scale and offset need one value per channel");
        if (scale.Any(s => !(Math.Abs(s) > 0) || !double.IsFinite(s)))
            throw new UserInputException($"the prior's normalisation has a zero or non-finite scale ({string.Join(", ", scale)}): it cannot be inverted");
        Scale = scale;
        Offset = offset;
    }

    /// <summary>The identity (a prior trained on physical units).</summary>
    public static PriorUnits Identity(int channels) => new(Enumerable.Repeat(1.0, channels).ToArray(), new double[channels]);

    /// <summary>
    /// Probes <paramref name="toPhysical"/> (normalised to physical) at z = -1, -0.5, 0, 0.5, 1 per channel and returns its affine
    /// coefficients; a map that is not affine (asinh: odd functions pass a 3-point test, hence 5 points) or not the same for every
    /// pixel (per-image min-max) is a user error explaining why.
    /// </summary>
    public static PriorUnits FromInverse(Func<Tensor, Tensor> toPhysical, long[] sampleShape, string kind)
    {
        using var scope = torch.NewDisposeScope();
        int c = (int)sampleShape[0];
        double[] probes = [-1, -0.5, 0, 0.5, 1];
        var results = new double[probes.Length][];
        for (int k = 0; k < probes.Length; k++)
        {
            var z = torch.Full([1, .. sampleShape], probes[k], DType.Float32);
            var x = toPhysical(z).To(DType.Float64);
            results[k] = x.Mean([0, 2, 3]).ToDoubleArray();
            var spread = x.Amax([0, 2, 3]).Sub(x.Amin([0, 2, 3])).Abs().Max().ToDouble();
            if (spread > 1e-5 * (results[k].Select(Math.Abs).Max() + 1))
                throw new UserInputException($"the prior's normalisation ({kind}) is not the same for every pixel of a channel, so the forward model cannot be moved into its units; retrain with clip, minmax-dataset, standardize or none");
        }
        var scale = new double[c];
        var offset = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = (results[4][ch] - results[0][ch]) / 2;
            offset[ch] = results[2][ch];
            double tolerance = 1e-4 * (Math.Abs(scale[ch]) + Math.Abs(offset[ch])) + 1e-12;
            for (int k = 0; k < probes.Length; k++)
                if (Math.Abs(results[k][ch] - (offset[ch] + scale[ch] * probes[k])) > tolerance)
                    throw new UserInputException($"the prior's normalisation ({kind}) is not linear, so y = A x + eta is not linear in the prior's units; " +
                        "posterior sampling needs a linear normalisation: retrain the prior with clip, minmax-dataset, standardize or none");
        }
        return new PriorUnits(scale, offset);
    }

    /// <summary>
    /// A' = A o diag(p): the forward model acting on normalised images, a new operator that uses <paramref name="a"/> without
    /// owning it (dispose both).
    /// </summary>
    public ForwardOperator Operator(ForwardOperator a) =>
        Scale.All(s => s == 1.0) ? new BorrowedOperator(a) : new Compose(new PixelScale(Scale, a.InputShape), new BorrowedOperator(a));

    /// <summary>y' = y - A(q) for y (C', H', W'); a new tensor (float64).</summary>
    public Tensor Observation(ForwardOperator a, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.FromArray(Offset, 1, Offset.Length, 1, 1).Expand([1, .. a.InputShape]).Contiguous();
        var aq = a.Apply(q).Squeeze(0);
        return y.To(DType.Float64).Sub(aq).MoveToOuterDisposeScope();
    }

    /// <summary>Normalised samples z (B, C, H, W) to physical units x = p z + q; a new tensor.</summary>
    public Tensor ToPhysical(Tensor z)
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.FromArray(Scale.Select(v => (float)v).ToArray(), 1, Scale.Length, 1, 1).To(z.Device, z.DType);
        var q = torch.FromArray(Offset.Select(v => (float)v).ToArray(), 1, Offset.Length, 1, 1).To(z.Device, z.DType);
        return z.Mul(p).Add(q).MoveToOuterDisposeScope();
    }

    /// <summary>Physical images x to normalised units z = (x - q) / p; a new tensor.</summary>
    public Tensor FromPhysical(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.FromArray(Scale.Select(v => (float)v).ToArray(), 1, Scale.Length, 1, 1).To(x.Device, x.DType);
        var q = torch.FromArray(Offset.Select(v => (float)v).ToArray(), 1, Offset.Length, 1, 1).To(x.Device, x.DType);
        return x.Sub(q).Div(p).MoveToOuterDisposeScope();
    }
}
