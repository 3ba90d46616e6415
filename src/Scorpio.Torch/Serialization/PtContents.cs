namespace Scorpio.Torch.Serialization;

/// <summary>
/// The tensors of a PyTorch .pt file in file order, nested dicts flattened with dotted names ("model.conv.weight"), and
/// the names of the entries that are not tensors (step counters, strings), which a state dict loader ignores.
/// </summary>
public sealed record PtContents(IReadOnlyList<KeyValuePair<string, Tensor>> Tensors, IReadOnlyList<string> OtherEntries) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Tensors) t.Value.Dispose();
    }
}
