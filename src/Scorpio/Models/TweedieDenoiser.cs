using System.Globalization;
using Scorpio.Astro;
using Scorpio.Diffusion;
using Scorpio.Posterior;
using Scorpio.Torch;

namespace Scorpio.Models;

/// <summary>
/// Tweedie's one-step denoiser (Robbins 1956; Efron 2011): for y = x + sigma n with n ~ N(0, I) and x drawn from the
/// model's prior, the posterior mean is E[x | y] = y + sigma^2 grad log p_sigma(y). With an SDE x_t = mu(t) x_0 +
/// sigma(t) z this is the model's denoiser at the time t whose noise-to-signal ratio sigma(t)/mu(t) equals sigma, fed
/// x_t = mu(t) y: E[x_0 | x_t] = (x_t + sigma(t)^2 s(x_t, t)) / mu(t). One network evaluation, no randomness.
/// </summary>
public static class TweedieDenoiser
{
    /// <summary>E[x | y] for <paramref name="y"/> (B, ...) and noise level <paramref name="sigma"/>, both in the model's normalised units.</summary>
    public static Tensor Denoise(ScoreModel model, Tensor y, double sigma)
    {
        var sde = model.Sde;
        double low = sde.NoiseRatio(sde.Epsilon), high = sde.NoiseRatio(sde.T);
        if (!(sigma > 0) || sigma < low * (1 - 1e-9) || sigma > high * (1 + 1e-9))
            throw new InvalidSettingException("sigma", $"= {Format(sigma)} (in the model's units) lies outside the noise levels the model knows, {Format(low)} to {Format(high)}");
        double t = sde.TimeOfNoiseRatio(sigma);
        using var scope = torch.NewDisposeScope();
        var times = torch.Full([y.Size(0)], t, DType.Float64, y.Device);
        var xt = y.Mul(sde.Mu(t));
        using (torch.InferenceMode())
            return model.Denoise(xt, times).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// E[x | y] in physical units: <paramref name="y"/> (B, C, H, W) and <paramref name="sigma"/> as the data, converted
    /// through the model's normalisation (which must be affine and scale every channel alike, so that the noise stays
    /// white in the model's units) and back.
    /// </summary>
    public static Tensor DenoisePhysical(ScoreModel model, Tensor y, double sigma)
    {
        int channels = (int)y.Size(1);
        var units = PriorUnits.FromNormalization(model.Normalization, channels, "model");
        var scales = units.Scale.Select(Math.Abs).ToArray();
        if (scales.Any(s => Math.Abs(s - scales[0]) > 1e-9 * scales[0]))
            throw new UserInputException($"the model's normalisation scales its channels differently ({string.Join(", ", scales.Select(Format))}), " +
                "so white noise of one sigma is not white in its units; denoise needs a normalisation with one scale (or none)");
        using var scope = torch.NewDisposeScope();
        var normalised = units.FromPhysical(y);
        var denoised = Denoise(model, normalised, sigma / scales[0]);
        return units.ToPhysical(denoised).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Denoises <paramref name="image"/> in physical units, <paramref name="batch"/> images at a time, keeping its shape:
    /// for an image model (C channels) (H, W) when C = 1, (C, H, W), (N, H, W) when C = 1 or (N, C, H, W); for a vector
    /// model (D) or (N, D). H and W must fit the network's levels (multiples of 2^(levels-1)).
    /// </summary>
    public static ImageData DenoiseImage(ScoreModel model, ImageData image, double sigma, int batch = 8)
    {
        if (batch < 1) throw new InvalidSettingException("batchSize", $"must be at least 1 (got {batch})");
        var network = model.Config.Network;
        int c = network.InChannels;
        long[] shape = image.Shape.Select(s => (long)s).ToArray();
        long[] batched = network.ForVectors
            ? shape.Length switch { 1 when shape[0] == c => [1, c], 2 when shape[1] == c => shape, _ => [] }
            : shape.Length switch
            {
                2 when c == 1 => [1, 1, shape[0], shape[1]],
                3 when shape[0] == c => [1, .. shape],
                3 when c == 1 => [shape[0], 1, shape[1], shape[2]],
                4 when shape[1] == c => shape,
                _ => [],
            };
        string expected = network.ForVectors ? $"({c}) or (N, {c})" : c == 1 ? "(H, W), (N, H, W) or (N, 1, H, W)" : $"({c}, H, W) or (N, {c}, H, W)";
        if (batched.Length == 0) throw new InvalidSettingException("image", $"has shape ({string.Join(", ", shape)}); the model takes {expected}");
        if (network.ForVectors && model.Normalization.Kind != "none")
            throw new UserInputException($"denoise takes vectors in the model's own units; this model normalises them ({model.Normalization.Kind})");
        if (!network.ForVectors)
        {
            int factor = 1 << (network.ChannelMult.Length - 1);
            if (batched[2] % factor != 0 || batched[3] % factor != 0)
                throw new InvalidSettingException("image", $"is {batched[3]}x{batched[2]} pixels; this {network.ChannelMult.Length}-level network needs sides that are multiples of {factor} (crop or pad it)");
        }
        using var scope = torch.NewDisposeScope();
        var all = torch.FromArray(image.Data, batched).To(model.Device);
        var parts = new List<Tensor>();
        for (long start = 0; start < batched[0]; start += batch)
        {
            var part = all.Narrow(0, start, Math.Min(batch, batched[0] - start));
            parts.Add(network.ForVectors ? Denoise(model, part, sigma) : DenoisePhysical(model, part, sigma));
        }
        var result = torch.Cat(parts.ToArray(), 0).To(Device.CPU, DType.Float32).Contiguous();
        return new ImageData(result.ToArray<float>(), image.Shape);
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
