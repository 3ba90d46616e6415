using Scorpio.Astro;
using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// Several exposures of one scene, each with its own operator (dithers, distortions, PSFs), in one joint
/// likelihood (Adam et al. 2023 used 4 HST exposures). All exposures take the same model image and must produce
/// observations of one shape (C', H', W'); they are stacked along the channel axis, exposure-major:
/// output (E C', H', W'), channels [e C', (e+1) C') belonging to exposure e. The adjoint sums the exposures'
/// adjoints. A noise model trained on single exposures is applied to each exposure separately
/// (see <see cref="Likelihoods.SlicLikelihood"/>). Owns its parts.
/// </summary>
public sealed class MultiExposure : ForwardOperator
{
    private readonly ForwardOperator[] _exposures;
    private readonly long[] _out;

    public MultiExposure(params ForwardOperator[] exposures)
    {
        if (exposures.Length == 0) throw new ArgumentException("MultiExposure needs at least one exposure");
        var first = exposures[0];
        for (int e = 1; e < exposures.Length; e++)
        {
            if (!exposures[e].InputShape.SequenceEqual(first.InputShape))
                throw new UserInputException($"exposure {e} expects a model image of {OperatorShapes.Format(exposures[e].InputShape)}, exposure 0 of {OperatorShapes.Format(first.InputShape)}: all exposures must share the model grid");
            if (!exposures[e].OutputShape.SequenceEqual(first.OutputShape))
                throw new UserInputException($"exposure {e} gives {OperatorShapes.Format(exposures[e].OutputShape)} pixels, exposure 0 gives {OperatorShapes.Format(first.OutputShape)}: cut every exposure to the same stamp size");
        }
        _exposures = exposures;
        var o = first.OutputShape;
        _out = [o[0] * exposures.Length, o[1], o[2]];
    }

    /// <summary>Number of exposures E.</summary>
    public int Count => _exposures.Length;

    /// <summary>Shape of one exposure's observation, (C', H', W').</summary>
    public long[] ExposureShape => _exposures[0].OutputShape;

    public IReadOnlyList<ForwardOperator> Exposures => _exposures;

    public override long[] InputShape => _exposures[0].InputShape;
    public override long[] OutputShape => _out;
    public override string Name => $"exposures[{string.Join("; ", _exposures.Select(e => e.Name))}]";
    public override bool IsLinear => _exposures.All(e => e.IsLinear);

    public override Tensor Apply(Tensor x)
    {
        var outs = _exposures.Select(e => e.Apply(x)).ToArray();
        try { return torch.Cat(outs, 1); }
        finally { foreach (var t in outs) t.Dispose(); }
    }

    public override Tensor Adjoint(Tensor y)
    {
        CheckOutput(y);
        long c = ExposureShape[0];
        Tensor? acc = null;
        for (int e = 0; e < _exposures.Length; e++)
        {
            using var part = y.Narrow(1, e * c, c);
            using var back = _exposures[e].Adjoint(part);
            var next = acc is null ? back.Clone() : acc.Add(back);
            acc?.Dispose();
            acc = next;
        }
        return acc!;
    }

    public override void Dispose()
    {
        foreach (var e in _exposures) e.Dispose();
        base.Dispose();
    }
}
