using Scorpio.Torch;

namespace Scorpio.Networks;

/// <summary>
/// Separable FIR kernels as depthwise weights (C, 1, k, k), normalised to sum to 1 per channel:
/// <see cref="Down"/> = (1,3,3,1) (NCSN++'s resampling kernel) and <see cref="Blur"/> = (1,2,1),
/// which after nearest-neighbour doubling gives exactly the (1,3,3,1) upsampling of upfirdn2d:
/// out[2m] = (x[m-1] + 3 x[m]) / 4, out[2m+1] = (3 x[m] + x[m+1]) / 4 along each axis.
/// </summary>
internal static class FirKernel
{
    public static readonly double[] Down = [1, 3, 3, 1];
    public static readonly double[] Blur = [1, 2, 1];

    public static Tensor Create(double[] taps, long channels, DType dtype, Device device)
    {
        int n = taps.Length;
        double sum = taps.Sum();
        var k = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                k[i * n + j] = taps[i] * taps[j] / (sum * sum);
        var all = new double[channels * n * n];
        for (long c = 0; c < channels; c++) Array.Copy(k, 0, all, c * n * n, n * n);
        // A cached constant of the network: never an inference tensor, so a model that sampled (inference mode) can still run DPS.
        using var normal = torch.InferenceMode(false);
        using var host = torch.FromArray(all, channels, 1, n, n);
        return host.To(device, dtype);
    }
}
