using Scorpio.Data;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>Small data sets and configurations shared by the training tests.</summary>
internal static class TrainingFixtures
{
    /// <summary>
    /// Images of one or two round Gaussian blobs on a faint flat background, (n, 1, size, size), physical
    /// units in [0, ~1.1]: a structured distribution a tiny U-Net can learn in a few hundred steps.
    /// </summary>
    public static Tensor Blobs(int n, int size, ulong seed)
    {
        var rng = new Random((int)seed);
        var data = new float[n * size * size];
        for (int i = 0; i < n; i++)
        {
            int blobs = 1 + rng.Next(2);
            for (int k = 0; k < blobs; k++)
            {
                double cy = size * (0.25 + 0.5 * rng.NextDouble()), cx = size * (0.25 + 0.5 * rng.NextDouble());
                double w = size * (0.06 + 0.08 * rng.NextDouble()), a = 0.5 + 0.5 * rng.NextDouble();
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        data[(i * size + y) * size + x] += (float)(a * Math.Exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * w * w)));
            }
            for (int p = 0; p < size * size; p++) data[i * size * size + p] += 0.05f;
        }
        return torch.FromArray(data, n, 1, size, size);
    }

    /// <summary>n draws from sum_k w_k N(m_k, s_k^2 I) in 2-D.</summary>
    public static Tensor Mixture(int n, double[] weights, double[][] means, double[] widths, ulong seed)
    {
        var rng = new Random((int)seed);
        var data = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble(), c = 0;
            int k = 0;
            for (; k < weights.Length - 1; k++) { c += weights[k]; if (u < c) break; }
            for (int j = 0; j < 2; j++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                data[i * 2 + j] = (float)(means[k][j] + widths[k] * g);
            }
        }
        return torch.FromArray(data, n, 2);
    }

    /// <summary>A tiny NCSN++ for 16x16 single-band images (two levels, no attention): fast on 2 CPU cores.</summary>
    public static NetworkConfig TinyUNet(int size = 16) => new()
    {
        Arch = "ncsnpp",
        InChannels = 1,
        ImageSize = size,
        Width = 16,
        ChannelMult = [1, 2],
        BlocksPerLevel = 1,
        AttentionResolutions = [],
    };

    public static TrainingDataset InMemory(Tensor physical) => new(physical, ["(in memory)"]);
}
