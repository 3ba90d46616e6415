using Scorpio.Astro;
using Scorpio.Data;
using Scorpio.Torch;

namespace Scorpio.Training;

/// <summary>
/// Completes a new run's configuration from its data: sample shape, network channels and image
/// size, the fitted normalisation, VE's sigma_max and the loss name, so that config.json alone
/// rebuilds the model.
/// </summary>
public static class RunConfigResolver
{
    /// <summary>Checks values a user can get wrong, naming the key (<see cref="ConfigChecks"/>). <paramref name="customLoss"/> names the
    /// objective a caller supplies itself (train-noise's modified kernel), which a resumed run records as its loss.</summary>
    public static void Validate(RunConfig c, string? customLoss = null) => ConfigChecks.Check(c, null, customLoss);

    /// <summary>The network image size and sample shape for <paramref name="physical"/> (N, C, H, W) or (N, D).</summary>
    public static RunConfig ResolveShape(RunConfig c, Tensor physical, int? imageSize, IReadOnlyList<string> sources)
    {
        bool vectors = physical.Dim == 2;
        if (vectors != (c.Network.ForVectors))
            throw new UserInputException(vectors
                ? $"the data are vectors ({physical.Size(1)} values per sample); use --arch mlp"
                : $"the mlp network takes vectors (N, D), but the data are images ({string.Join("x", physical.Shape.Skip(1))}); use --arch ncsnpp or ddpm");
        if (vectors)
        {
            int d = (int)physical.Size(1);
            return c with
            {
                Network = c.Network with { InChannels = d },
                Data = new DataConfig { Shape = [d], Count = physical.Size(0), Sources = sources.ToArray() },
            };
        }
        int ch = (int)physical.Size(1), h = (int)physical.Size(2), w = (int)physical.Size(3);
        bool crop = c.Training.Augment.Crop;
        int size;
        if (imageSize is int requested)
        {
            size = requested;
            if (h < size || w < size)
                throw new UserInputException($"the training images are {h}x{w} pixels, smaller than --image-size {size}; use --image-size {Math.Min(h, w)} or larger images");
            if ((h > size || w > size) && !crop)
                throw new UserInputException($"the training images are {h}x{w} pixels, larger than --image-size {size}; add --crop to train on random {size}x{size} crops, or cut the images to {size}x{size} first");
        }
        else
        {
            if (crop) throw new UserInputException("--crop needs --image-size N (the crop size)");
            if (h != w) throw new UserInputException($"the training images are {h}x{w} pixels (not square); give --image-size N with --crop, or cut them square");
            size = h;
        }
        return c with
        {
            Network = c.Network with { InChannels = ch, ImageSize = size },
            Data = new DataConfig { Shape = [ch, size, size], Count = physical.Size(0), Sources = sources.ToArray() },
        };
    }

    /// <summary>
    /// VE's sigma_max when not given: the largest Euclidean distance between two of up to
    /// <see cref="TrainingConfig.SigmaMaxSubset"/> normalised training samples (Song and Ermon 2020,
    /// technique 1), drawn with a generator seeded from the run seed.
    /// </summary>
    public static RunConfig ResolveSigmaMax(RunConfig c, Tensor normalised)
    {
        if (c.Sde.Name != "ve" || c.Sde.SigmaMax is not null) return c;
        using var scope = torch.NewDisposeScope();
        long n = normalised.Size(0);
        long m = Math.Min(n, Math.Max(2, c.Training.SigmaMaxSubset));
        using var g = new Generator(unchecked((ulong)c.Seed + 3));
        var perm = torch.RandPerm(n, g);
        var pick = perm.Narrow(0, 0, m).To(normalised.Device);
        var flat = normalised.IndexSelect(0, pick).Flatten(1).To(DType.Float64);
        double max = 0;
        // Row blocks keep the distance matrix small for large subsets.
        for (long start = 0; start < m; start += 256)
        {
            var block = flat.Narrow(0, start, Math.Min(256, m - start));
            max = Math.Max(max, torch.Cdist(block, flat).Max().ToDouble());
        }
        double sigmaMin = c.Sde.SigmaMin ?? 0.01;
        // A single image (or identical ones) gives 0: fall back to a few times the data scale.
        if (!(max > sigmaMin)) max = Math.Max(sigmaMin * 10, 1.0);
        return c with { Sde = c.Sde with { SigmaMax = max, SigmaMin = sigmaMin } };
    }
}
