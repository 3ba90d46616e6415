using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Diffusion;
using Scorpio.Models;
using Scorpio.Sampling;
using Scorpio.Torch;

namespace Scorpio.Density;

/// <summary>
/// Log-likelihood of a set of images under a score model, in bits per dimension (what <c>scorpio loglik</c> reports):
/// each image is (optionally) dequantised, normalised, and its density at time epsilon is integrated along the
/// probability-flow ODE (<see cref="OdeLogDensity"/>); in physical units the normalisation's Jacobian is added
/// (<see cref="ElementwiseJacobian"/>), and <see cref="BitsPerDim"/> converts to bits/dim, with the dequantisation term
/// D log q when a quantum q is given.
/// <para>Random draws: image k of the set (its dequantisation noise, then its Hutchinson probes) draws from its own
/// generator, <see cref="SampleNoise.PerSample"/>(seed, k), so its value does not depend on the batch size or on which
/// other images are evaluated with it.</para>
/// <para>Clipping: a normalisation that clips (clip) maps values outside its range to the edge; such pixels are
/// evaluated at the edge (the round trip normalise-then-invert), counted in <see cref="DataLogLikelihoodResult.ClippedPixels"/>.</para>
/// </summary>
public static class DataLogLikelihood
{
    // Normalisations acting pixel by pixel (diagonal Jacobian); per-image min-max mixes pixels and has no inverse.
    private static readonly string[] Elementwise = ["clip", "asinh", "minmax-dataset", "standardize", "none"];

    /// <summary>Whether <paramref name="normalization"/> maps pixel by pixel, so that a density in physical units exists.</summary>
    public static bool HasPhysicalDensity(Normalization normalization) => Elementwise.Contains(normalization.Kind);

    /// <summary>Score evaluations the whole run costs (4 per RK4 step per batch), for progress bars.</summary>
    public static long Evaluations(int count, DataLogLikelihoodOptions options) =>
        4L * options.Ode.Steps * BatchProgress.Count(count, Math.Max(1, options.BatchSize));

    /// <summary>
    /// <see cref="Evaluate(IScoreFunction, Sde, Normalization, Tensor, DataLogLikelihoodOptions, Device, Action{BatchProgress}?)"/>
    /// for a trained model on its own device; <paramref name="images"/> must have the model's sample shape.
    /// </summary>
    public static DataLogLikelihoodResult Evaluate(ScoreModel model, Tensor images, DataLogLikelihoodOptions options, Action<BatchProgress>? progress = null)
    {
        var expected = model.SampleShape(1).Skip(1).ToArray();
        var shape = images.Shape.Skip(1).ToArray();
        if (!shape.SequenceEqual(expected))
            throw new InvalidSettingException("images", $"hold images of shape ({string.Join(", ", shape)}) but the model expects ({string.Join(", ", expected)})");
        return Evaluate(model, model.Sde, model.Normalization, images, options, model.Device, progress);
    }

    /// <summary>
    /// Per-image log-likelihoods of <paramref name="images"/> (N, ...) in physical units (any device; each batch is moved to
    /// <paramref name="device"/> as float32) under the score <paramref name="score"/> of normalised data on <paramref name="sde"/>.
    /// </summary>
    public static DataLogLikelihoodResult Evaluate(IScoreFunction score, Sde sde, Normalization normalization, Tensor images,
        DataLogLikelihoodOptions options, Device device, Action<BatchProgress>? progress = null)
    {
        Validate(options);
        int n = (int)images.Size(0);
        if (n < 1) throw new InvalidSettingException("images", "hold no images to evaluate");
        bool physical = options.Units == DensityUnits.Physical;
        if (physical && !HasPhysicalDensity(normalization))
            throw new InvalidSettingException("units", $"physical needs a normalisation that maps pixel by pixel, but the model's '{normalization.Kind}' mixes pixels " +
                "and cannot be inverted, so there is no density in physical units; use normalised units");
        long dims = images.Numel / n;
        double? q = options.Quantum;
        var bpd = new double[n];
        var logp = new double[n];
        int batches = BatchProgress.Count(n, options.BatchSize), k = 0;
        long nfePerBatch = 4L * options.Ode.Steps, total = nfePerBatch * batches, clipped = 0, nfe = 0;
        foreach (var (start, size) in BatchProgress.Ranges(n, options.BatchSize))
        {
            using var scope = torch.NewDisposeScope();
            using var noise = SampleNoise.PerSample(options.Seed, start, size, device);
            var x = images.Narrow(0, start, size).To(device, DType.Float32);
            if (q is double step) x = x.Add(noise.RandLike(x).Mul(step));
            var y = normalization.Forward(x);
            long before = k * nfePerBatch;
            int batch = k + 1;
            var result = OdeLogDensity.LogDensity(score, sde, y, noise, options.Ode,
                s => progress?.Invoke(new BatchProgress(batch, batches, before + s.Nfe, total, false)));
            nfe += result.Nfe;
            // The clip normalisation maps everything outside [0, A] to the edges: such pixels have no density in
            // physical units, so evaluate the image as clipped (the round trip), where the Jacobian is 2/A.
            var roundTrip = normalization.Inverse(y);
            clipped += roundTrip.Sub(x).Abs().Gt(1e-4).Sum().ToLong();
            var jacobian = physical ? ElementwiseJacobian.LogAbsDet(normalization.Forward, roundTrip) : new double[size];
            for (int i = 0; i < size; i++)
            {
                if (double.IsNegativeInfinity(jacobian[i]))
                    throw new InvalidSettingException("units", $"physical is undefined for image {start + i}: the '{normalization.Kind}' normalisation " +
                        "has a zero derivative there, so there is no density in physical units; use normalised units");
                logp[start + i] = result.LogDensity[i] + jacobian[i];
                bpd[start + i] = BitsPerDim.FromLogDensity(result.LogDensity[i], dims, jacobian[i], q);
            }
            progress?.Invoke(new BatchProgress(batch, batches, before + nfePerBatch, total, true));
            k++;
        }
        return new DataLogLikelihoodResult(bpd, logp, dims, clipped, nfe);
    }

    /// <summary>Checks the settings (done by <c>Evaluate</c> too; call it early to fail before loading a model).</summary>
    public static void Validate(DataLogLikelihoodOptions options)
    {
        if (options.BatchSize < 1) throw new InvalidSettingException("batchSize", $"must be at least 1 (got {options.BatchSize})");
        if (options.Ode.Steps < 1) throw new InvalidSettingException("steps", $"must be at least 1 (got {options.Ode.Steps})");
        if (options.Ode.Probes < 1) throw new InvalidSettingException("probes", $"must be at least 1 (got {options.Ode.Probes})");
        if (options.Quantum is double q && !(q > 0)) throw new InvalidSettingException("quantum", $"must be positive (got {q})");
    }
}
