using Scorpio.Astro;
using Scorpio.Torch;
using Scorpio.Torch.Serialization;

namespace Scorpio.Interop;

/// <summary>
/// Reads a PyTorch state dict from a .pt file (<see cref="PtFile"/>: no Python, no code run) or a .safetensors file,
/// with PyTorch's names. Errors are <see cref="UserInputException"/>s naming the file.
/// </summary>
public static class ScoreModelsStateDict
{
    /// <summary>The tensors of <paramref name="path"/> by name, in file order; the caller disposes them.</summary>
    public static List<KeyValuePair<string, Tensor>> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                var (tensors, _) = Safetensors.Load(path);
                return tensors.ToList();
            }
            var contents = PtFile.Load(path);
            return contents.Tensors.ToList();
        }
        catch (InvalidDataException e) { throw new UserInputException(e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}"); }
        catch (NotSupportedException e) { throw new UserInputException($"{path}: {e.Message}"); }
        catch (IOException e) { throw new UserInputException($"{path} could not be read: {e.Message}"); }
    }
}
