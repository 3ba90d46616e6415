namespace Scorpio.Torch.Serialization;

/// <summary>A Python global named by a pickle (module and name), never resolved to code.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A dict or OrderedDict of a pickle, in insertion order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object, object?>> Items { get; } = new();

    public void Set(object key, object? value)
    {
        for (int i = 0; i < Items.Count; i++)
            if (Equals(Items[i].Key, key)) { Items[i] = new(key, value); return; }
        Items.Add(new(key, value));
    }
}

/// <summary>A pickle tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A storage named by a persistent id: ('storage', torch.XStorage, key, location, numel).</summary>
internal sealed record StorageRef(string Key, DType DType, long Numel, string Location);

/// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...): a view into a storage, not yet read.</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);
