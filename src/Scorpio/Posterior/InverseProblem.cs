using System.Text.Json.Nodes;
using Scorpio.Astro.Fits;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// y = A x + eta for one scene, built once by <see cref="InverseProblemBuilder"/> with every input loaded and checked: one or
/// several exposures (each its own observation, operator and noise), joined into one observation and one operator (several
/// exposures stack along the channel axis, exposure-major; <see cref="MultiExposure"/>), the noise as a Gaussian model or a
/// learned noise score, and the problem moved into the prior's normalised units (A' = A o diag(p), y' = y - A q;
/// <see cref="PriorUnits"/>). Posterior methods (<see cref="IPosteriorMethod"/>) sample it; <see cref="PosteriorWriter"/>
/// writes the products.
/// </summary>
public sealed class InverseProblem : IDisposable
{
    private readonly List<IDisposable> _owned;
    private readonly Func<InverseProblem, ILikelihood> _makeLikelihood;
    private ILikelihood? _likelihood;
    private readonly bool _isView;   // ForObservations: the parts belong to the problem it was made from

    internal InverseProblem(ProblemSpec spec, PriorModel prior, IReadOnlyList<Exposure> exposures, ForwardOperator op, Tensor observation,
        Tensor mask, GaussianNoise? noise, Tensor? sigmaMap, INoiseScore? noiseModel, string? noiseModelDescription,
        Func<InverseProblem, ILikelihood> makeLikelihood, List<IDisposable> owned)
    {
        Spec = spec;
        Prior = prior;
        Exposures = exposures;
        Operator = op;
        Observation = observation;
        Mask = mask;
        Noise = noise;
        SigmaMap = sigmaMap;
        NoiseModel = noiseModel;
        NoiseModelDescription = noiseModelDescription;
        _makeLikelihood = makeLikelihood;
        _owned = owned;
        PriorOperator = prior.Units.Operator(op);
        PriorObservation = prior.Units.Observation(op, observation).DetachFromDisposeScope();
    }

    private InverseProblem(InverseProblem parent, Tensor observations)
        : this(parent.Spec, parent.Prior, parent.Exposures, parent.Operator, observations, parent.Mask, parent.Noise, parent.SigmaMap,
            parent.NoiseModel, parent.NoiseModelDescription, parent._makeLikelihood, [])
    {
        _isView = true;
    }

    /// <summary>
    /// This problem (operator, noise, mask, prior) posed for B observations at once: <paramref name="observations"/>
    /// (B, E C', H', W') in physical units, and batch item i of every sample drawn from the result is conditioned on
    /// observation i (simulation-based calibration samples many (x, y) pairs in one batch, so the network sees full batches).
    /// The result shares this problem's parts and frees only its own observation and likelihood: dispose it first.
    /// </summary>
    public InverseProblem ForObservations(Tensor observations)
    {
        if (observations.Dim != 4 || !observations.Shape.Skip(1).SequenceEqual(Observation.Shape[^3..]))
            throw new ArgumentException($"observations must be (B, {string.Join(", ", Observation.Shape[^3..])}); got ({string.Join(", ", observations.Shape)})");
        using var scope = torch.NewDisposeScope();
        var y = observations.To(DType.Float64).Mul(Mask).DetachFromDisposeScope();
        return new InverseProblem(this, y);
    }

    /// <summary>What the user stated.</summary>
    public ProblemSpec Spec { get; }
    /// <summary>The prior the problem is posed on: its model grid (C, H, W) and units.</summary>
    public PriorModel Prior { get; }
    public IReadOnlyList<Exposure> Exposures { get; }
    /// <summary>Shape of one model image, (C, H, W).</summary>
    public long[] ModelShape => Prior.Shape;

    /// <summary>A in physical units, all exposures (the residuals of the products use it).</summary>
    public ForwardOperator Operator { get; }
    /// <summary>A' = A o diag(p), acting on the prior's normalised images (what the posterior methods use).</summary>
    public ForwardOperator PriorOperator { get; }
    /// <summary>y, (E C', H', W') float64, physical units, NaNs set to 0; (B, E C', H', W') for <see cref="ForObservations"/>.</summary>
    public Tensor Observation { get; }
    /// <summary>y' = y - A(q), in the operator A' units (float64).</summary>
    public Tensor PriorObservation { get; }
    /// <summary>1 where a pixel is observed, 0 where it is missing, (E C', H', W') float64.</summary>
    public Tensor Mask { get; }
    /// <summary>True when some pixel is masked or NaN.</summary>
    public bool HasMissing => Exposures.Any(e => e.Observation.HasMissing);

    /// <summary>The joint Gaussian noise (with the mask), or null when a learned noise model replaces it.</summary>
    public GaussianNoise? Noise { get; }
    /// <summary>Per-pixel sigma of the joint observation (float64), for residual chi^2; null with a learned noise model.</summary>
    public Tensor? SigmaMap { get; }
    /// <summary>The learned noise score (SLIC), or null.</summary>
    public INoiseScore? NoiseModel { get; }
    public string? NoiseModelDescription { get; }
    /// <summary>"slic" with a learned noise model, else "gaussian".</summary>
    public string LikelihoodKind => NoiseModel is null ? "gaussian" : "slic";

    /// <summary>
    /// The likelihood score in the prior's units: the convolved Gaussian likelihood (<see cref="ProblemSpec.Form"/>) or SLIC
    /// with the learned noise score, built on first use (a dense form costs an eigendecomposition) and kept.
    /// </summary>
    public ILikelihood Likelihood => _likelihood ??= _makeLikelihood(this);

    /// <summary>Model pixels per observed pixel of exposure 0 (pool / scale): the model grid's WCS is exposure 0's, refined by it.</summary>
    public double ModelPixelsPerObserved => Math.Max(1, Exposures[0].Forward.Pool) / (Exposures[0].Forward.Scale ?? 1.0);

    /// <summary>Exposure 0's header, adapted to the model grid.</summary>
    public FitsHeader ModelHeader => ModelGridHeader.For(Exposures[0].Observation.Header, ModelPixelsPerObserved);

    /// <summary>Exposure 0's header, for observed-grid products.</summary>
    public FitsHeader ObservedHeader => Exposures[0].Observation.Header;

    /// <summary>What was built, for summary.json.</summary>
    public JsonObject Describe()
    {
        var exposures = new JsonArray();
        foreach (var e in Exposures)
            exposures.Add(new JsonObject
            {
                ["observation"] = e.Observation.Source,
                ["observation_shape"] = new JsonArray(e.Observation.Shape.Select(v => (JsonNode)v).ToArray()),
                ["masked_pixels"] = e.Observation.MaskedCount,
                ["nan_pixels"] = e.Observation.NanCount,
                ["forward_model"] = e.Forward.Describe(),
                ["operator"] = e.Operator.Name,
                ["sigma"] = PosteriorFiles.Number(e.Sigma),
                ["sigma_map"] = e.SigmaMapSource,
            });
        return new JsonObject
        {
            ["problem_file"] = Spec.Source,
            ["exposures"] = exposures,
            ["model_shape"] = new JsonArray(ModelShape.Select(v => (JsonNode)v).ToArray()),
            ["likelihood"] = LikelihoodKind,
            ["noise_model"] = NoiseModelDescription,
            ["slic_residual"] = NoiseModel is null ? null : Spec.Residual.ToString().ToLowerInvariant(),
            ["covariance_form"] = _likelihood is GaussianLikelihood g ? g.Form.ToString().ToLowerInvariant() : null,
            ["normalisation_scale"] = new JsonArray(Prior.Units.Scale.Select(v => (JsonNode)v).ToArray()),
            ["normalisation_offset"] = new JsonArray(Prior.Units.Offset.Select(v => (JsonNode)v).ToArray()),
        };
    }

    public void Dispose()
    {
        (_likelihood as IDisposable)?.Dispose();
        PriorOperator.Dispose();
        PriorObservation.Dispose();
        Observation.Dispose();
        if (_isView) return;
        Operator.Dispose();
        Mask.Dispose();
        Noise?.Dispose();
        SigmaMap?.Dispose();
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
    }
}
