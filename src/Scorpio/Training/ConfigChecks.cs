using System.Globalization;
using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Networks;

namespace Scorpio.Training;

/// <summary>
/// Range checks of every key of a <see cref="RunConfig"/>, so that a hand-edited or damaged config.json is refused with the
/// key, its value and the valid range instead of failing later inside the network, the SDE or an allocation. Limits on
/// sizes (image side, widths, layers) are far above anything a run uses and keep a corrupt value from asking for terabytes.
/// With a <c>source</c> (a file) errors are <see cref="UserInputException"/>s naming it; without, they are
/// <see cref="InvalidSettingException"/>s naming the key, which front ends map to their flags.
/// </summary>
public static class ConfigChecks
{
    /// <summary>Largest accepted image side, width, hidden size and similar size keys.</summary>
    public const int MaxSize = 16384;

    /// <summary>Throws on the first key of <paramref name="c"/> that is out of range.</summary>
    /// <param name="c">the configuration.</param>
    /// <param name="source">the file it came from (named in the error), or null for settings given as flags or in code.</param>
    /// <param name="customLoss">an objective name a caller supplies itself (train-noise's modified kernel), accepted as training.loss.</param>
    public static void Check(RunConfig c, string? source, string? customLoss = null)
    {
        void Fail(string key, object? value, string problem)
        {
            string shown = value switch
            {
                null => "null",
                string s => MessageText.Quote(s, 40),
                double d => d.ToString("G6", CultureInfo.InvariantCulture),
                int[] a => "[" + string.Join(", ", a) + "]",
                double[] a => "[" + string.Join(", ", a.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            string text = $"= {shown} {problem}";
            if (source is null) throw new InvalidSettingException(key, text);
            throw new UserInputException($"{source}: {key} {text}; fix the value or remove the key to use the default");
        }
        void Finite(string key, double v) { if (!double.IsFinite(v)) Fail(key, v, "must be a finite number"); }
        void Positive(string key, double v) { if (!(v > 0) || !double.IsFinite(v)) Fail(key, v, "must be a positive finite number"); }
        void Count(string key, long v, long min, long max) { if (v < min || v > max) Fail(key, v, $"must be an integer in {min}..{max}"); }
        void Fraction(string key, double v) { if (!(v >= 0 && v < 1)) Fail(key, v, "must be in [0, 1)"); }
        void OneOf(string key, string? v, IEnumerable<string> names) { if (v is null || !names.Contains(v)) Fail(key, v, $"is not known: use {string.Join(", ", names)}"); }

        var s = c.Sde;
        if (s.Name != "cosine") OneOf("sde.name", s.Name, SdeConfig.Names); // "cosine": an older name of vp-cosine
        if (s.SigmaMin is double smin) Positive("sde.sigmaMin", smin);
        if (s.SigmaMax is double smax) Positive("sde.sigmaMax", smax);
        if (s.SigmaMin is double lo && s.SigmaMax is double hi && !(lo < hi))
            Fail("sde.sigmaMin", lo, $"must be below sde.sigmaMax ({hi.ToString("G6", CultureInfo.InvariantCulture)})");
        if (!(s.BetaMin >= 0) || !double.IsFinite(s.BetaMin)) Fail("sde.betaMin", s.BetaMin, "must be a finite number >= 0");
        Positive("sde.betaMax", s.BetaMax);
        if (!(s.BetaMax > s.BetaMin)) Fail("sde.betaMax", s.BetaMax, $"must be above sde.betaMin ({s.BetaMin.ToString("G6", CultureInfo.InvariantCulture)})");
        Positive("sde.sigmaData", s.SigmaData);
        Finite("sde.pMean", s.PMean);
        Positive("sde.pStd", s.PStd);
        Count("sde.steps", s.Steps, 1, 100_000);
        OneOf("sde.schedule", s.Schedule, ["linear", "cosine"]);

        var n = c.Network;
        OneOf("network.arch", n.Arch, NetworkFactory.Architectures);
        Count("network.inChannels", n.InChannels, 1, MaxSize);
        Count("network.imageSize", n.ImageSize, 1, MaxSize);
        Count("network.width", n.Width, 1, MaxSize);
        if (n.ChannelMult is null || n.ChannelMult.Length is 0 or > 16 || n.ChannelMult.Any(m => m is < 1 or > 64))
            Fail("network.channelMult", n.ChannelMult, "must list 1 to 16 multipliers, each 1..64");
        Count("network.blocksPerLevel", n.BlocksPerLevel, 1, 64);
        if (n.AttentionResolutions is null || n.AttentionResolutions.Length > 64 || n.AttentionResolutions.Any(r => r is < 1 or > MaxSize))
            Fail("network.attentionResolutions", n.AttentionResolutions, $"must list resolutions in pixels, each 1..{MaxSize}");
        Fraction("network.dropout", n.Dropout);
        OneOf("network.embedding", n.Embedding, ["fourier", "sinusoidal"]);
        Positive("network.fourierScale", n.FourierScale);
        Count("network.heads", n.Heads, 1, 1024);
        Count("network.headChannels", n.HeadChannels, 0, MaxSize);
        OneOf("network.attentionType", n.AttentionType, ["softmax", "linear"]);
        Count("network.mlpHidden", n.MlpHidden, 1, 1 << 20);
        Count("network.mlpLayers", n.MlpLayers, 1, 1000);

        var z = c.Normalization;
        OneOf("normalization.kind", z.Kind, NormalizationConfig.Kinds);
        if (!(z.ClipPercentile > 0 && z.ClipPercentile <= 100)) Fail("normalization.clipPercentile", z.ClipPercentile, "must be a percentile in (0, 100]");
        if (z.ClipMax is double cm) Positive("normalization.clipMax", cm);
        Positive("normalization.asinhScale", z.AsinhScale);
        foreach (var (key, values) in new[] { ("normalization.low", z.Low), ("normalization.high", z.High), ("normalization.mean", z.Mean), ("normalization.std", z.Std) })
            if (values is not null && (values.Length is 0 or > MaxSize || values.Any(v => !double.IsFinite(v))))
                Fail(key, values, "must list one finite number per channel");
        if (z.Std is { } std && std.Any(v => !(v > 0))) Fail("normalization.std", std, "must be positive (a channel with no spread cannot be standardised)");
        if (z.Low is { } l && z.High is { } h && (l.Length != h.Length || l.Zip(h).Any(p => !(p.First < p.Second))))
            Fail("normalization.high", h, "must have one value per channel, each above normalization.low");

        var d = c.Data;
        if (d.Shape is null || d.Shape.Length is not (1 or 3) || d.Shape.Any(v => v is < 1 or > MaxSize))
            Fail("data.shape", d.Shape, $"must be (C, H, W) for images or (D) for vectors, each 1..{MaxSize}");
        if (d.Count < 0) Fail("data.count", d.Count, "must be >= 0");

        var t = c.Training;
        Count("training.steps", t.Steps, 1, int.MaxValue);
        Count("training.batch", t.Batch, 1, 1 << 20);
        Positive("training.lr", t.Lr);
        OneOf("training.optimizer", t.Optimizer, ["adam", "adamw"]);
        Fraction("training.beta1", t.Beta1);
        Fraction("training.beta2", t.Beta2);
        Positive("training.adamEps", t.AdamEps);
        if (!(t.WeightDecay >= 0) || !double.IsFinite(t.WeightDecay)) Fail("training.weightDecay", t.WeightDecay, "must be a finite number >= 0");
        Fraction("training.ema", t.Ema);
        Count("training.warmup", t.Warmup, 0, int.MaxValue);
        if (!(t.GradClip >= 0) || !double.IsFinite(t.GradClip)) Fail("training.gradClip", t.GradClip, "must be a finite number >= 0 (0 = off)");
        if (t.Loss is not null && t.Loss != customLoss) OneOf("training.loss", t.Loss, TrainingConfig.Losses);
        Count("training.checkpointEvery", t.CheckpointEvery, 1, int.MaxValue);
        Count("training.sigmaMaxSubset", t.SigmaMaxSubset, 2, 1 << 20);
        if (t.Augment is null) Fail("training.augment", null, "must be an object");
        else
        {
            Count("training.augment.shift", t.Augment.Shift, 0, MaxSize);
            OneOf("training.augment.shiftFill", t.Augment.ShiftFill, ["reflect", "zero"]);
        }
    }

    /// <summary>
    /// The extra checks of a trained run's config.json (<paramref name="path"/>): what training fills in must be there and
    /// agree (VE's sde.sigmaMax, the data shape and the network's channels and image size).
    /// </summary>
    public static void CheckTrained(RunConfig c, string path)
    {
        if (c.Sde.Name == "ve" && c.Sde.SigmaMax is null)
            throw new UserInputException($"{path}: sde.sigmaMax is missing for this VE model (training writes it, fitted to the data); restore the run's config.json or retrain");
        var shape = c.Data.Shape;
        bool mlp = c.Network.ForVectors;
        if (mlp ? shape.Length != 1 || shape[0] != c.Network.InChannels
                : shape.Length != 3 || shape[0] != c.Network.InChannels || shape[1] != c.Network.ImageSize || shape[2] != c.Network.ImageSize)
            throw new UserInputException($"{path}: data.shape [{string.Join(", ", shape)}] does not match network.inChannels = {c.Network.InChannels}" +
                (mlp ? "" : $" and network.imageSize = {c.Network.ImageSize}") + "; the file was edited or damaged: restore it or retrain");
    }
}
