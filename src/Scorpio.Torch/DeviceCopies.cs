
namespace Scorpio.Torch;

/// <summary>
/// Copies of host tensors on other devices (and dtypes), made once and kept (the likelihoods hold float64 constants on the
/// CPU and are called with batches on the sampling device). Copies are normal tensors (never inference tensors), detached from
/// dispose scopes and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class DeviceCopies : IDisposable
{
    private readonly Dictionary<(Tensor, Device, DType), Tensor> _copies = new();

    /// <summary><paramref name="host"/> on <paramref name="like"/>'s device (same dtype as the host tensor).</summary>
    public Tensor On(Tensor host, Tensor like) => Get(host, like.Device, host.DType);

    /// <summary><paramref name="host"/> on <paramref name="like"/>'s device and in its dtype.</summary>
    public Tensor Like(Tensor host, Tensor like) => Get(host, like.Device, like.DType);

    private Tensor Get(Tensor host, Device device, DType dtype)
    {
        if (host.Device == device && host.DType == dtype) return host;
        lock (_copies)
        {
            if (_copies.TryGetValue((host, device, dtype), out var copy)) return copy;
            // Made outside inference mode: a copy first made while sampling must still serve a later call with autograd (DPS, SLIC).
            using (torch.InferenceMode(false)) copy = host.To(device, dtype).DetachFromDisposeScope();
            _copies[(host, device, dtype)] = copy;
            return copy;
        }
    }

    public void Dispose()
    {
        foreach (var t in _copies.Values) t.Dispose();
        _copies.Clear();
    }
}
