using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Posterior;
using Scorpio.Sampling;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.NoiseModels;

/// <summary>
/// A noise model learned from noise-only images (<c>scorpio train-noise</c>) as the noise score of SLIC. The model works in its
/// own units e = a eta + b (a linear normalisation) with its own SDE; the posterior asks for grad_v log q(v),
/// v = mu eta + sigma A z in physical units, with the PRIOR's mu and sigma. In the model's units a v + mu b = mu e_0 + (a sigma) A z;
/// scaling by c gives mu' e_0 + sigma' A z for the model time t' at which sigma'/mu' = a sigma / mu, with c = mu'(t')/mu, so
/// grad_v log q(v) = c a s_model(c (a v + mu b), t'). Prior and noise model may therefore use different SDEs and normalisations.
/// Noise levels outside the model's range are clamped to its [epsilon, T] (an approximation at the extremes). All channels must
/// share one scale a.
/// </summary>
public sealed class TrainedNoiseScore : INoiseScore, IDisposable
{
    private readonly IScoreFunction _score;
    private readonly Sde _sde;
    private readonly double _scale;
    private readonly double[] _offset;
    private readonly IDisposable? _owned;
    private readonly Tensor _offsetTensor;     // b as (1, C, 1, 1) float64, host
    private readonly DeviceCopies _devices = new();

    /// <param name="score">the noise model's score in its units e.</param>
    /// <param name="sde">the noise model's SDE.</param>
    /// <param name="shape">(C, H, W) of one noise image.</param>
    /// <param name="scale">a in e = a eta + b.</param>
    /// <param name="offset">b per channel.</param>
    /// <param name="description">for summaries.</param>
    /// <param name="owned">disposed with this object (the model).</param>
    public TrainedNoiseScore(IScoreFunction score, Sde sde, long[] shape, double scale, double[] offset, string description, IDisposable? owned = null)
    {
        _score = score;
        _sde = sde;
        Shape = shape;
        _scale = scale;
        _offset = offset;
        Description = description;
        _owned = owned;
        _offsetTensor = torch.FromArray(offset, 1, offset.Length, 1, 1).DetachFromDisposeScope();
    }

    /// <summary>
    /// A trained noise model (disposed with the result unless <paramref name="ownsModel"/> is false). Its normalisation must be linear
    /// with one scale for all channels.
    /// </summary>
    public static TrainedNoiseScore FromModel(ScoreModel model, string description, bool ownsModel = true)
    {
        var shape = model.Config.Data.Shape.Select(s => (long)s).ToArray();
        if (shape.Length != 3) throw new UserInputException($"{description}: a noise model must be trained on images (C, H, W), not vectors");
        var units = PriorUnits.FromNormalization(model.Normalization, (int)shape[0], "noise model");
        if (units.Scale.Any(s => Math.Abs(s - units.Scale[0]) > 1e-6 * Math.Abs(units.Scale[0])))
            throw new UserInputException($"{description}: the noise model's normalisation scales its channels differently ({string.Join(", ", units.Scale)}); retrain it with --normalize none or one scale for all channels");
        double a = 1.0 / units.Scale[0];                                // eta = p e + q  =>  e = eta / p - q / p
        return new TrainedNoiseScore(model, model.Sde, shape, a, units.Offset.Select(q => -q * a).ToArray(),
            $"{description} ({model.Sde.Name}, {model.Normalization.Kind})", ownsModel ? model : null);
    }

    public long[] Shape { get; }
    public string Description { get; }

    public Tensor Score(Tensor v, Tensor mu, Tensor sigma)
    {
        using var scope = torch.NewDisposeScope();
        var mu64 = mu.To(DType.Float64);
        var ratio = sigma.To(DType.Float64).Mul(_scale).Div(mu64);
        var t = _sde.TimeOfNoiseRatio(ratio);                           // the noise model's time, (B,) float64
        var c = _sde.Mu(t).Div(mu64);
        var offset = _devices.On(_offsetTensor, v).Mul(mu64.Reshape(-1, 1, 1, 1));   // b mu, (B, C, 1, 1) float64
        var w = v.Mul(_scale).Add(offset.To(v.DType)).Mul(PerSample.Broadcast(c, v));
        var s = _score.Score(w, t.To(v.DType));
        return s.Mul(PerSample.Broadcast(c.Mul(_scale), v)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _devices.Dispose();
        _offsetTensor.Dispose();
        _owned?.Dispose();
    }
}
