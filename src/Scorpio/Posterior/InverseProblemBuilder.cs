using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Likelihoods;
using Scorpio.Models;
using Scorpio.NoiseModels;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>
/// Builds an <see cref="InverseProblem"/> from what a user stated (<see cref="ProblemSpec"/>): reads every file, builds each
/// exposure's operator once, checks shapes, noise and units against the prior, loads a learned noise model, and says what
/// is wrong in one place. Settings are named as in problem files (the CLI maps them to its flags).
/// </summary>
public static class InverseProblemBuilder
{
    /// <param name="spec">the exposures, the noise model and the likelihood form.</param>
    /// <param name="prior">the prior: its model grid and units.</param>
    /// <param name="device">where a learned noise model's network runs.</param>
    /// <param name="notice">receives notices and warnings (NaNs masked, a noise model trained for another operator).</param>
    public static InverseProblem Build(ProblemSpec spec, PriorModel prior, Device device, Action<string>? notice = null)
    {
        Check(spec);
        var owned = new List<IDisposable>();
        var exposures = new List<Exposure>();
        try
        {
            bool slic = spec.NoiseModelPath is not null;
            for (int i = 0; i < spec.Exposures.Count; i++)
            {
                try { exposures.Add(BuildExposure(spec, spec.Exposures[i], i, prior, slic, owned, notice)); }
                catch (UserInputException e) when (spec.Source is { } source && !e.Message.Contains(source, StringComparison.Ordinal))
                {
                    // A problem file's exposure: the file and the exposure are named, whichever of its inputs is at fault.
                    throw new UserInputException($"{source}: exposures[{i}]: {e.Message}", e);
                }
            }
            CheckSameShape(spec, exposures);

            using var scope = torch.NewDisposeScope();
            ForwardOperator op = exposures.Count == 1 ? new BorrowedOperator(exposures[0].Operator) : new MultiExposure(exposures.Select(e => (ForwardOperator)new BorrowedOperator(e.Operator)).ToArray());
            var y = torch.Cat(exposures.Select(e => e.Observation.Values).ToArray(), 0).DetachFromDisposeScope();
            var mask = torch.Cat(exposures.Select(e => e.Observation.Mask).ToArray(), 0).DetachFromDisposeScope();

            GaussianNoise? noise = null;
            Tensor? sigmaMap = null;
            INoiseScore? noiseModel = null;
            string? noiseDescription = null;
            if (slic)
            {
                var run = spec.NoiseModel ?? ScoreModel.Load(spec.NoiseModelPath!, device);
                if (spec.NoiseModel is null) owned.Add(run);
                var trained = TrainedNoiseScore.FromModel(run, spec.NoiseModelPath!, ownsModel: spec.NoiseModel is null);
                owned.Add(trained);
                noiseModel = trained;
                noiseDescription = spec.NoiseModelPath;
                WarnOnOperatorMismatch(spec.NoiseModelPath!, exposures, notice);
                if (prior.Units.Scale.Any(s => Math.Abs(s - prior.Units.Scale[0]) > 1e-9 * Math.Abs(prior.Units.Scale[0])))
                    throw new UserInputException("SLIC needs one normalisation scale for all the prior's channels (a per-channel scale changes the noise level per band)");
            }
            else
            {
                var sigmas = exposures.Select(e => e.Sigma).ToArray();
                if (sigmas.All(s => s is double) && sigmas.Distinct().Count() == 1)
                {
                    noise = GaussianNoise.White(sigmas[0]!.Value, mask);
                    sigmaMap = torch.Full(y.Shape, sigmas[0]!.Value, DType.Float64).DetachFromDisposeScope();
                }
                else
                {
                    sigmaMap = torch.Cat(exposures.Select(e => e.SigmaMap ?? torch.Full(e.Observation.Shape, e.Sigma!.Value, DType.Float64)).ToArray(), 0).DetachFromDisposeScope();
                    noise = GaussianNoise.PerPixel(sigmaMap, mask);
                }
            }
            return new InverseProblem(spec, prior, exposures, op, y, mask, noise, sigmaMap, noiseModel, noiseDescription, MakeLikelihood, owned);
        }
        catch
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
            throw;
        }
    }

    private static ILikelihood MakeLikelihood(InverseProblem p)
    {
        if (p.NoiseModel is not null)
        {
            double scale = p.Prior.Units.Scale.Average();
            return new SlicLikelihood(p.PriorOperator, p.PriorObservation, p.NoiseModel, p.Prior.Sde, p.Spec.Residual, null,
                p.HasMissing ? p.Mask : null, perturbationScale: scale);
        }
        return new GaussianLikelihood(p.PriorOperator, p.PriorObservation, p.Noise!, p.Prior.Sde, p.Spec.Form);
    }

    /// <summary>The checks that need no file (front ends call it before loading a prior): numbers in range, settings that exclude each other.</summary>
    public static void Check(ProblemSpec spec)
    {
        if (spec.Exposures.Count == 0) throw new InvalidSettingException(Key(spec, null, "exposures"), "must list at least one exposure");
        if (spec.NoiseModel is not null && spec.NoiseModelPath is null)
            throw new InvalidSettingException(Key(spec, null, "noiseModel"), "was given loaded but without its run folder (NoiseModelPath): its noise_model.json and its name in summaries come from there");
        foreach (var e in spec.Exposures)
        {
            string K(string key) => Key(spec, e, key);
            if (e.Pool < 1) throw new InvalidSettingException(K("pool"), $"must be a positive integer (got {e.Pool})");
            if (e.Scale is double sc && !(sc > 0)) throw new InvalidSettingException(K("scale"), $"must be a positive resampling factor (got {sc}); e.g. 0.5 halves the image before the PSF");
            if (e.Shift is { } d && !(double.IsFinite(d.Dx) && double.IsFinite(d.Dy))) throw new InvalidSettingException(K("shift"), $"must be two finite numbers (dx, dy) in model pixels (got {d.Dx}, {d.Dy})");
            if (e.Shift is not null && e.WarpPath is not null) throw new InvalidSettingException(K("warp"), "and shift both move the exposure: give one of them");
            if (e.PsfSupersample is int k && k < 1) throw new InvalidSettingException(K("psfSupersample"), $"must be a positive integer (got {k})");
            if (e.Sigma is double s && (!(s > 0) || !double.IsFinite(s)))
                throw new InvalidSettingException(K("sigma"), $"must be a positive noise standard deviation in the observation's units (got {s})");
        }
    }

    private static Exposure BuildExposure(ProblemSpec spec, ExposureSpec e, int index, PriorModel prior, bool slic, List<IDisposable> owned, Action<string>? notice)
    {
        string K(string key) => Key(spec, e, key);

        var obs = e.Observation;
        if (obs is null)
        {
            if (e.ObservationPath is null) throw new InvalidSettingException(K("obs"), "is missing: every exposure needs an observation FITS file");
            if (!File.Exists(e.ObservationPath)) throw new InvalidSettingException(K("obs"), $"file '{e.ObservationPath}' does not exist");
            if (e.MaskPath is not null && !File.Exists(e.MaskPath)) throw new InvalidSettingException(K("mask"), $"file '{e.MaskPath}' does not exist");
            obs = ObservationInput.Load(e.ObservationPath, e.MaskPath, notice);
            owned.Add(obs);
        }

        var psf = Psf(e, K, owned);
        Tensor? warp = null;
        if (e.WarpPath is not null)
        {
            warp = ReadTensor(e.WarpPath, K("warp"));
            owned.Add(warp);
        }
        var forward = new ForwardModelSpec
        {
            Psf = psf.Tensor, PsfSource = psf.Source, PsfSupersample = e.PsfModel is not null ? null : e.PsfSupersample,
            Pool = e.Pool, Scale = e.Scale, Shift = e.Shift, Warp = warp, WarpSource = e.WarpPath,
        };
        forward.CheckObservation(obs.Shape, prior.Shape, obs.Source);
        var op = forward.Build(prior.Shape);
        owned.Add(op);

        double? sigma = e.Sigma;
        Tensor? sigmaMap = null;
        string? sigmaSource = null;
        if (slic)
        {
            if (e.Sigma is not null || e.SigmaMap is not null || e.SigmaMapPath is not null)
                throw new InvalidSettingException(K("sigma"), "cannot be given with a noise model: the learned noise model is the likelihood (give one or the other)");
        }
        else
        {
            if (e.Sigma is not null && (e.SigmaMap is not null || e.SigmaMapPath is not null))
                throw new InvalidSettingException(K("sigmaMap"), "and sigma both give the noise: give one of them");
            if (e.SigmaMap is not null || e.SigmaMapPath is not null)
            {
                var raw = e.SigmaMap ?? ReadTensor(e.SigmaMapPath!, K("sigmaMap"));
                if (e.SigmaMap is null) owned.Add(raw);
                using var shaped = raw.Dim == 2 ? raw.Unsqueeze(0) : raw.Alias();
                if (!shaped.Shape.SequenceEqual(obs.Shape))
                    throw new InvalidSettingException(K("sigmaMap"), $"has shape {string.Join("x", raw.Shape)} but the observation {obs.Source} is {string.Join("x", obs.Shape)}: give one sigma per observed pixel");
                sigmaSource = e.SigmaMapPath ?? "(in memory)";
                (sigmaMap, obs) = CheckSigmaMap(shaped, obs, sigmaSource, K("sigmaMap"), owned, notice);
            }
            else if (e.Sigma is null)
                throw new InvalidSettingException(K("sigma"), "is missing: the likelihood needs the noise, as sigma (white Gaussian), a sigma map (per-pixel) or a learned noise model (SLIC)");
        }
        return new Exposure(obs, forward, op, sigma, sigmaMap, sigmaSource);
    }

    /// <summary>
    /// A sigma map holds standard deviations: negative values mean a wrong file (a weight or variance map?) and are refused;
    /// zero, NaN and infinite values carry no usable noise level, so those pixels are masked with a notice (their sigma is set to
    /// 1, which the mask makes irrelevant, so no 1/0 enters the likelihood). A map with no usable pixel is refused.
    /// </summary>
    private static (Tensor SigmaMap, ObservationInput Observation) CheckSigmaMap(Tensor raw, ObservationInput obs, string source, string key,
        List<IDisposable> owned, Action<string>? notice)
    {
        using var scope = torch.NewDisposeScope();
        var sigma = raw.To(DType.Float64);
        var finite = sigma.IsFinite();
        long negative = (long)sigma.Lt(0.0).LogicalAnd(finite).To(DType.Float64).Sum().ToDouble();
        if (negative > 0)
            throw new InvalidSettingException(key, $"{source} holds {negative} negative value(s) (smallest {torch.Where(finite, sigma, 0.0).Min().ToDouble():G4}); " +
                "a sigma map gives the noise standard deviation (>= 0) of each pixel: is it a weight or variance map? Convert it (sigma = 1/sqrt(weight), sqrt(variance))");
        var usable = finite.LogicalAnd(sigma.Gt(0.0));
        var keep = usable.To(DType.Float64);
        long bad = sigma.Numel - (long)keep.Sum().ToDouble();
        long observedBad = (long)obs.Mask.Mul(keep.Neg().Add(1.0)).Sum().ToDouble();
        if (bad == sigma.Numel)
            throw new InvalidSettingException(key, $"{source} has no usable value (every pixel is 0, NaN or infinite); give one positive noise sigma per observed pixel");
        var cleaned = torch.Where(usable, sigma, 1.0).MoveToOuterDisposeScope();
        owned.Add(cleaned);
        if (observedBad == 0) return (cleaned, obs);
        var masked = obs.Masked(keep);
        owned.Add(masked);
        if (masked.MaskedCount == masked.Values.Numel)
            throw new InvalidSettingException(key, $"{source} is 0, NaN or infinite on every observed pixel of {obs.Source}: nothing is left to fit");
        notice?.Invoke($"{source}: {observedBad} observed pixel(s) have a sigma of 0, NaN or infinity; they are treated as masked (no information)");
        return (cleaned, masked);
    }

    private static (Tensor? Tensor, string? Source) Psf(ExposureSpec e, Func<string, string> key, List<IDisposable> owned)
    {
        int given = (e.Psf is not null ? 1 : 0) + (e.PsfPath is not null ? 1 : 0) + (e.PsfModel is not null ? 1 : 0);
        if (given > 1) throw new InvalidSettingException(key("psfModel"), "and a PSF file both give the PSF: give one of them");
        if (e.Psf is not null) return (e.Psf, "(in memory)");
        if (e.PsfPath is not null)
        {
            var t = ReadTensor(e.PsfPath, key("psf"));
            owned.Add(t);
            if (t.Dim == 3) return (t, e.PsfPath);
            if (t.Dim != 2) throw new InvalidSettingException(key("psf"), $"must be an image (h, w) or one plane per band (bands, h, w); {e.PsfPath} has {t.Dim} axes");
            var u = t.Unsqueeze(0).DetachFromDisposeScope();
            owned.Add(u);
            return (u, e.PsfPath);
        }
        if (e.PsfModel is null) return (null, null);
        if (e.PsfFwhm is not double f || !(f > 0)) throw new InvalidSettingException(key("psfFwhm"), "must be a positive FWHM in model-grid pixels (it goes with psfModel)");
        var model = e.PsfModel.ToLowerInvariant() switch
        {
            "gaussian" => Astro.Simulation.PsfModel.Gaussian,
            "moffat" => Astro.Simulation.PsfModel.Moffat,
            "airy" => Astro.Simulation.PsfModel.Airy,
            _ => throw new InvalidSettingException(key("psfModel"), $"'{e.PsfModel}' is not known: use gaussian, moffat or airy"),
        };
        // An odd stamp of about 4 FWHM (at least 7 pixels) on the model grid.
        int size = Math.Max(7, 2 * (int)Math.Ceiling(2 * f) + 1);
        var psf = Operators.Psf.FromModel(model, f, size).DetachFromDisposeScope();
        owned.Add(psf);
        return (psf, $"{e.PsfModel}, FWHM {f} px");
    }

    private static void CheckSameShape(ProblemSpec spec, List<Exposure> exposures)
    {
        var first = exposures[0].Operator.OutputShape;
        for (int i = 1; i < exposures.Count; i++)
            if (!exposures[i].Operator.OutputShape.SequenceEqual(first))
                throw new InvalidSettingException(Key(spec, spec.Exposures[i], "obs"),
                    $"is {OperatorShapes.Format(exposures[i].Operator.OutputShape)} pixels but exposure 0 is {OperatorShapes.Format(first)}: cut every exposure to the same stamp size");
    }

    private static void WarnOnOperatorMismatch(string noiseRun, List<Exposure> exposures, Action<string>? notice)
    {
        if (NoiseModelInfo.Load(noiseRun) is not { } info) return;
        foreach (var e in exposures)
            if (info.Pool != e.Forward.Pool || (info.Psf is null) != (e.Forward.Psf is null))
            {
                notice?.Invoke($"warning: the noise model was trained for {info.Operator} (pool {info.Pool}), but the forward model of {e.Observation.Source} is {e.Forward.Describe()}: " +
                    "its perturbation kernel N(mu eta, sigma^2 A A^T) assumes the same A");
                return;
            }
    }

    /// <summary>A FITS or .npy image as a float32 tensor with the file's shape; a missing file names its setting.</summary>
    private static Tensor ReadTensor(string path, string setting)
    {
        if (!File.Exists(path)) throw new InvalidSettingException(setting, $"file '{path}' does not exist");
        var image = DatasetFiles.ReadImage(path);
        return torch.FromArray(image.Data, image.Shape.Select(s => (long)s).ToArray()).DetachFromDisposeScope();
    }

    /// <summary>The setting's name in errors: the bare key for flags, prefixed by the exposure's label in problem files.</summary>
    private static string Key(ProblemSpec spec, ExposureSpec? e, string key) => e?.Label is { } label ? label + key : spec.Source is { } src && e is null ? $"{src}: {key}" : key;
}
