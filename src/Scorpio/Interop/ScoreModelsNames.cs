using Scorpio.Networks;
using Scorpio.Torch.NN;

namespace Scorpio.Interop;

/// <summary>
/// The state-dict names score_models gives a Scorpio network's tensors. score_models' NCSNpp and DDPM keep their layers
/// in one list, <c>all_modules</c>, in the order their constructors create them: the Fourier embedding and its two
/// dense layers, the input convolution, each level's blocks (then its resampling block and input-skip combiner), the
/// middle, each decoder level's blocks (then its output-skip GroupNorm and convolution, then its resampling), the output
/// GroupNorm and convolution. Scorpio's <see cref="NcsnppNetwork"/> and <see cref="HoUNet"/> register their modules in
/// that same order, so index k of <c>all_modules</c> is the k-th of their modules (the Fourier embedding counts three,
/// the parameter-free pyramid resamplers none, which score_models keeps outside the list); inside a module the layer
/// names are translated. score_models' MLP names its parts (time_branch, input_layer, linear_layers, output_layer).
/// A layer score_models does not have (a GroupNorm before attention, attention inside the levels, learned resampling in
/// a BigGAN block) makes the network not representable: <see cref="NotRepresentableException"/> names it.
/// </summary>
public static class ScoreModelsNames
{
    private static readonly Dictionary<string, string> BigGanBlock = new()
    {
        ["norm0"] = "GroupNorm_0", ["conv0"] = "Conv_0.conv", ["dense"] = "Dense_0", ["norm1"] = "GroupNorm_1",
        ["conv1"] = "Conv_1.conv", ["skip"] = "Conv_2.conv",
    };

    private static readonly Dictionary<string, string> HoBlock = new()
    {
        ["norm0"] = "GroupNorm_0", ["conv0"] = "Conv_0.conv", ["dense"] = "Dense_0", ["norm1"] = "GroupNorm_1",
        ["conv1"] = "Conv_1.conv",
    };

    private static readonly Dictionary<string, string> Attention = new() { ["qkv"] = "to_qkv", ["proj"] = "to_out" };

    /// <summary>Every tensor of <paramref name="network"/> (parameters and buffers) with its score_models name, in score_models' order.</summary>
    public static IReadOnlyList<ScoreModelsName> For(ScoreNetwork network)
    {
        var names = new List<ScoreModelsName>();
        if (network is TimeConcatMlp)
        {
            foreach (var (child, module) in network.NamedChildren())
                foreach (var local in Tensors(module))
                    names.Add(new(MlpName(child, local), $"{child}.{local}"));
            return names;
        }
        if (network is not (NcsnppNetwork or HoUNet))
            throw new NotRepresentableException($"score_models has no counterpart of Scorpio's {network.GetType().Name} (it has NCSNpp, DDPM and MLP)");
        int index = 0;
        foreach (var (child, module) in network.NamedChildren())
        {
            string at = $"all_modules.{index}";
            switch (module)
            {
                case Downsample or Upsample:
                    continue;                                   // the parameter-free pyramid resamplers
                case TimeEmbedding:
                    foreach (var local in Tensors(module))
                        names.Add(new(local switch
                        {
                            "embed.W" => $"all_modules.{index}.W",
                            _ when local.StartsWith("dense0.") => $"all_modules.{index + 1}.{local[7..]}",
                            _ when local.StartsWith("dense1.") => $"all_modules.{index + 2}.{local[7..]}",
                            _ => throw new NotRepresentableException($"{child}.{local}: score_models' time embedding has no such tensor (a sinusoidal embedding?)"),
                        }, $"{child}.{local}"));
                    index += 3;
                    continue;
                case Conv2d:
                    foreach (var local in Tensors(module))
                        names.Add(new($"{at}.{(child.EndsWith(".combine", StringComparison.Ordinal) ? "Conv_0.conv" : "conv")}.{local}", $"{child}.{local}"));
                    break;
                case GroupNorm:
                    foreach (var local in Tensors(module)) names.Add(new($"{at}.{local}", $"{child}.{local}"));
                    break;
                case BigGanResidualBlock when network is NcsnppNetwork:
                    names.AddRange(Translate(module, child, at, BigGanBlock));
                    break;
                case BigGanResidualBlock:                       // DDPM's block: its 1x1 skip is a NIN layer
                    foreach (var local in Tensors(module))
                        names.Add(local switch
                        {
                            "skip.weight" => new($"{at}.NIN_0.W", $"{child}.{local}", NinWeight: true),
                            "skip.bias" => new($"{at}.NIN_0.b", $"{child}.{local}"),
                            _ => Translated(local, child, at, HoBlock),
                        });
                    break;
                case SelfAttention2d:
                    names.AddRange(Translate(module, child, at, Attention));
                    break;
                case HoResample:
                    foreach (var local in Tensors(module)) names.Add(new($"{at}.Conv_0.conv.{local[5..]}", $"{child}.{local}"));
                    break;
                default:
                    throw new NotRepresentableException($"{child}: score_models has no layer like Scorpio's {module.GetType().Name}");
            }
            index++;
        }
        return names;
    }

    // Buffers first: the only one, the Fourier frequencies W, is score_models' first tensor (a frozen parameter there).
    private static IEnumerable<string> Tensors(Module module) =>
        module.NamedBuffers().Select(b => b.Name).Concat(module.NamedParameters().Select(p => p.Name));

    private static IEnumerable<ScoreModelsName> Translate(Module module, string child, string at, Dictionary<string, string> layers) =>
        Tensors(module).Select(local => Translated(local, child, at, layers));

    private static ScoreModelsName Translated(string local, string child, string at, Dictionary<string, string> layers)
    {
        int dot = local.IndexOf('.');
        if (dot < 0 || !layers.TryGetValue(local[..dot], out var theirs))
            throw new NotRepresentableException($"{child}.{local}: score_models' layer has no such tensor" +
                (local.StartsWith("norm.", StringComparison.Ordinal) ? " (its attention block has no GroupNorm: use attentionBlock plain)" : ""));
        return new($"{at}.{theirs}{local[dot..]}", $"{child}.{local}");
    }

    private static string MlpName(string child, string local) => child switch
    {
        "embedding" => local switch
        {
            "embed.W" => "time_branch.0.W",
            _ when local.StartsWith("dense0.") => "time_branch.1." + local[7..],
            _ when local.StartsWith("dense1.") => "time_branch.2." + local[7..],
            _ => throw new NotRepresentableException($"embedding.{local}: score_models' MLP time branch has no such tensor (a sinusoidal embedding?)"),
        },
        "input" => "input_layer." + local,
        "output" => "output_layer." + local,
        _ when child.StartsWith("hidden.", StringComparison.Ordinal) => "linear_layers." + child[7..] + "." + local,
        _ => throw new NotRepresentableException($"{child}.{local}: score_models' MLP has no such tensor"),
    };
}
