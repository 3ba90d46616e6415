using Scorpio.Torch;

namespace Scorpio.Operators;

/// <summary>
/// A forward model A of the inverse problem y = A x + eta: it maps a batch of model images
/// x (B, C, H, W) to predicted observations A x (B, C', H', W'). <see cref="Apply"/> is differentiable
/// (built from autograd-aware tensor ops), so VJPs through A come from autograd; every operator here is
/// linear and also gives its adjoint A^T explicitly (<see cref="Adjoint"/>), which the likelihoods use
/// because samplers run with gradients disabled and an explicit adjoint is cheaper than a VJP.
/// The adjoint is tested against &lt;A x, y&gt; = &lt;x, A^T y&gt;.
/// <para>Constant tensors (PSF, masks, weights) are kept on the host and copied to the device and dtype of
/// the input on first use (float32 for sampling, float64 for tests). Composite operators own their parts:
/// disposing the composite disposes them.</para>
/// </summary>
public abstract class ForwardOperator : IDisposable
{
    private readonly Dictionary<(Tensor Source, Device Device, DType DType), Tensor> _constants = new();
    private readonly List<Tensor> _owned = new();

    /// <summary>Shape of one model image, (C, H, W).</summary>
    public abstract long[] InputShape { get; }

    /// <summary>Shape of one predicted observation, (C', H', W').</summary>
    public abstract long[] OutputShape { get; }

    /// <summary>Short human-readable description for logs and summary.json, e.g. "psf(fft, 21x21)".</summary>
    public abstract string Name { get; }

    /// <summary>True when A is linear (all built-in operators). The Gaussian and SLIC likelihoods need linearity.</summary>
    public virtual bool IsLinear => true;

    /// <summary>A x for a batch x of shape (B, <see cref="InputShape"/>); differentiable in x. A new tensor.</summary>
    public abstract Tensor Apply(Tensor x);

    /// <summary>A^T y for a batch y of shape (B, <see cref="OutputShape"/>), computed explicitly. A new tensor.</summary>
    public abstract Tensor Adjoint(Tensor y);

    /// <summary>
    /// The vector-Jacobian product v^T dA/dx at <paramref name="x"/> through autograd (enables gradients
    /// locally). Equal to <see cref="Adjoint"/> for linear operators; the route for a non-linear subclass.
    /// </summary>
    public Tensor Vjp(Tensor x, Tensor v)
    {
        using var grad = torch.EnableGrad();
        using var leaf = x.Detach();
        leaf.RequiresGrad = true;
        using var y = Apply(leaf);
        return torch.Vjp(y, leaf, v);
    }

    /// <summary>Number of pixels of one model image.</summary>
    public long InputSize => InputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Number of pixels of one predicted observation.</summary>
    public long OutputSize => OutputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Throws when <paramref name="x"/> is not a batch of model images.</summary>
    protected void CheckInput(Tensor x) => CheckShape(x, InputShape, "model image x");

    /// <summary>Throws when <paramref name="y"/> is not a batch of observations.</summary>
    protected void CheckOutput(Tensor y) => CheckShape(y, OutputShape, "observation y");

    private void CheckShape(Tensor t, long[] expected, string what)
    {
        var s = t.Shape;
        if (s.Length != expected.Length + 1 || !s.Skip(1).SequenceEqual(expected))
            throw new ArgumentException($"{Name}: {what} has shape ({string.Join(", ", s)}); expected (B, {string.Join(", ", expected)})");
    }

    /// <summary>
    /// Keeps <paramref name="host"/> alive for the operator's lifetime (removed from any dispose scope) and returns it.
    /// </summary>
    protected Tensor Own(Tensor host)
    {
        host.DetachFromDisposeScope();
        _owned.Add(host);
        return host;
    }

    /// <summary>
    /// <paramref name="source"/> (an owned tensor) on the device and in the dtype of <paramref name="like"/>,
    /// cached so the copy happens once. Complex sources keep complex dtypes (complex64 for float32 input,
    /// complex128 for float64).
    /// </summary>
    protected Tensor Constant(Tensor source, Tensor like)
    {
        var dtype = like.DType;
        if (source.DType is DType.ComplexFloat32 or DType.ComplexFloat64)
            dtype = like.DType == DType.Float64 ? DType.ComplexFloat64 : DType.ComplexFloat32;
        if (source.DType is DType.Int64 or DType.Bool) dtype = source.DType;
        var key = (source, like.Device, dtype);
        lock (_constants)
        {
            if (_constants.TryGetValue(key, out var cached) && !cached.IsDisposed) return cached;
            Tensor copy;
            // Cached: made outside inference mode so that autograd can use it later (see torch.InferenceMode(bool)).
            using (torch.InferenceMode(false)) copy = source.Device == like.Device && source.DType == dtype ? source.Alias() : source.To(like.Device, dtype);
            copy.DetachFromDisposeScope();
            _constants[key] = copy;
            return copy;
        }
    }

    public override string ToString() => $"{Name}: ({string.Join(",", InputShape)}) -> ({string.Join(",", OutputShape)})";

    /// <summary>Frees the operator's constants (and, for composites, its parts).</summary>
    public virtual void Dispose()
    {
        lock (_constants)
        {
            foreach (var t in _constants.Values) t.Dispose();
            _constants.Clear();
        }
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}
