using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Scorpio.Astro;
using Scorpio.Astro.Imaging;
using Scorpio.Metrics.Data;
using Scorpio.Metrics.Photometry;

namespace Scorpio.Metrics.Features;

/// <summary>
/// The 512 pooled features of ImageNet ResNet18 (He et al. 2016), the network behind FD-ResNet18: a Frechet distance
/// people can reproduce, unlike the random-conv features, though not FID (which uses Inception-v3). The weights are
/// ML.NET's ONNX export (NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, whose build copies DnnImageModels/ beside
/// the program), run by ONNX Runtime on the CPU.
/// <para>Preprocessing of each (H, W) image (band 0 of multi-band images):</para>
/// <list type="number">
/// <item>display stretch to 0-255: 255 · asinh stretch (softening 0.1) between limits taken once from the real reference
/// set (its pooled 0.5 and 99.9 percentiles), the same limits for every set compared, clipped;</item>
/// <item>resize to 224x224: bilinear with half-pixel centres when enlarging, area-weighted when shrinking;</item>
/// <item>grey to 3 channels: the same plane in each;</item>
/// <item>ImageNet normalisation: ML.NET's ResNetPreprocess.onnx, which subtracts the ImageNet mean image (0-255 scale,
/// per channel and pixel) the network was trained with;</item>
/// <item>ResNet18.onnx up to its global average pooling: 512 features.</item>
/// </list>
/// </summary>
public sealed class ResNet18Features : IDisposable
{
    /// <summary>Side of the network's input, pixels.</summary>
    public const int InputSize = 224;
    /// <summary>Features per image (the pooled output of the last residual stage).</summary>
    public const int Dimension = 512;
    /// <summary>The distance's name in reports and JSON: never "FID".</summary>
    public const string DistanceName = "FD-ResNet18";
    private const string Prep = "ResNetPrepOnnx/ResNetPreprocess.onnx", Net = "ResNet18Onnx/ResNet18.onnx";

    private readonly InferenceSession _prep, _net;
    private readonly string _prepInput, _netInput;

    /// <summary>Loads the two ONNX models from <paramref name="modelDirectory"/> (default: DnnImageModels beside the program).</summary>
    public ResNet18Features(string? modelDirectory = null)
    {
        string dir = modelDirectory ?? DefaultModelDirectory;
        foreach (var f in new[] { Prep, Net })
            if (!File.Exists(Path.Combine(dir, f)))
                throw new UserInputException($"FD-ResNet18 needs {Path.Combine(dir, f)}, the ImageNet ResNet18 of the NuGet package " +
                    "Microsoft.ML.DnnImageFeaturizer.ResNet18 (the build copies its DnnImageModels folder beside scorpio.dll); rebuild, or leave out the 'resnet' metric");
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, InterOpNumThreads = 1 };
        // Idle threads sleep instead of spinning: on a busy machine (libtorch's OpenMP pool, other jobs) spinning workers starve the real work.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _prep = new InferenceSession(Path.Combine(dir, Prep), options);
        _net = new InferenceSession(Path.Combine(dir, Net), options);
        _prepInput = _prep.InputMetadata.Keys.Single();
        _netInput = _net.InputMetadata.Keys.Single();
    }

    /// <summary>DnnImageModels beside the running program.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>The stretch limits for a comparison: the 0.5 and 99.9 percentiles of band 0 of the reference set, pooled.</summary>
    public static (double Low, double High) Limits(ImageData reference)
    {
        var shape = StackShape.Of(reference);
        var pooled = new float[shape.Count * shape.PlaneSize];
        for (int i = 0; i < shape.Count; i++) shape.PlaneOf(reference, i, 0).Span.CopyTo(pooled.AsSpan(i * shape.PlaneSize));
        return Stretch.Asinh(0.1, 0.5, 99.9).Limits(pooled);
    }

    /// <summary>Steps 1-3 of the preprocessing: the (3, 224, 224) network input in 0-255 for one plane.</summary>
    public static float[] Input(Plane plane, (double Low, double High) limits)
    {
        var stretch = Stretch.Asinh(0.1, 0.5, 99.9);
        var display = new float[plane.Height * plane.Width];
        var span = plane.Span;
        for (int i = 0; i < display.Length; i++)
        {
            float t = stretch.Map(span[i], limits.Low, limits.High);
            display[i] = float.IsNaN(t) ? 0 : 255 * t;
        }
        var stretched = new Plane(display, 0, plane.Height, plane.Width);
        var resized = plane.Height <= InputSize && plane.Width <= InputSize
            ? Resample.Bilinear(stretched, InputSize, InputSize)
            : Resample.Area(stretched, InputSize, InputSize);
        int n = InputSize * InputSize;
        var input = new float[3 * n];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++) input[c * n + i] = (float)resized[i];
        return input;
    }

    /// <summary>Steps 4-5: the 512 features of one (3, 224, 224) input in 0-255.</summary>
    public double[] Features(float[] input)
    {
        if (input.Length != 3 * InputSize * InputSize) throw new ArgumentException($"the network input must be 3x{InputSize}x{InputSize} values, got {input.Length}");
        int[] dims = { 1, 3, InputSize, InputSize };
        using var prepped = _prep.Run(new[] { NamedOnnxValue.CreateFromTensor(_prepInput, new DenseTensor<float>(input, dims)) });
        var normalised = prepped.First().AsTensor<float>().ToArray();
        using var pooled = _net.Run(new[] { NamedOnnxValue.CreateFromTensor(_netInput, new DenseTensor<float>(normalised, dims)) });
        var f = pooled.First().AsTensor<float>().ToArray();
        if (f.Length != Dimension) throw new InvalidOperationException($"ResNet18 gave {f.Length} features, expected {Dimension}");
        return f.Select(v => (double)v).ToArray();
    }

    /// <summary>Features of every image of an (N, H, W) or (N, C, H, W) stack (band 0), stretched with <paramref name="limits"/>.</summary>
    public IReadOnlyList<double[]> Extract(ImageData stack, (double Low, double High) limits)
    {
        var shape = StackShape.Of(stack);
        var result = new double[shape.Count][];
        for (int i = 0; i < shape.Count; i++) result[i] = Features(Input(shape.PlaneOf(stack, i, 0), limits));
        return result;
    }

    public void Dispose()
    {
        _prep.Dispose();
        _net.Dispose();
    }
}
