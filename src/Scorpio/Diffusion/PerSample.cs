using Scorpio.Torch;

namespace Scorpio.Diffusion;

/// <summary>One number per batch item, as a tensor shaped to broadcast against the batch.</summary>
public static class PerSample
{
    /// <summary>
    /// <paramref name="values"/> (B,) reshaped to (B, 1, 1, 1) for images or (B, 1) for vectors, in <paramref name="like"/>'s
    /// dtype and device; a new tensor.
    /// </summary>
    public static Tensor Broadcast(Tensor values, Tensor like)
    {
        var shape = new long[like.Dim];
        Array.Fill(shape, 1L);
        shape[0] = values.Size(0);
        using var reshaped = values.Reshape(shape);
        return reshaped.To(like.Device, like.DType);
    }

    /// <summary>(B,) host values as a (B, 1, ...) tensor on <paramref name="like"/>'s device and dtype (rounded to float32 first, as the network sees them).</summary>
    public static Tensor Broadcast(double[] values, Tensor like)
    {
        var shape = new long[like.Dim];
        Array.Fill(shape, 1L);
        shape[0] = values.Length;
        using var host = torch.FromArray(values.Select(v => (float)v).ToArray(), shape);
        return host.To(like.Device, like.DType);
    }
}
