using Scorpio.Networks;
using Scorpio.Torch;

namespace Scorpio.Tests.Networks;

public class NetworkGradientTests
{
    public NetworkGradientTests() => torch.NumThreads = 2;

    public static TheoryData<string> Configs => new() { "ncsnpp", "ncsnpp-pool", "ncsnpp-score-models", "ddpm-linear", "ddpm-softmax", "ddpm-ho", "mlp", "mlp-concat" };

    private static NetworkConfig Config(string name) => name switch
    {
        "ncsnpp" => NetworkPresets.Tiny(8, 1),
        "ncsnpp-pool" => NetworkPresets.Tiny(8, 1) with { Fir = false, Embedding = "sinusoidal" },
        "ddpm-linear" => NetworkTestUtil.TinyDdpm(8, 1, "linear"),
        "ddpm-softmax" => NetworkTestUtil.TinyDdpm(8, 1, "softmax"),
        "ncsnpp-score-models" => NetworkTestUtil.TinyScoreModelsNcsnpp(8, 1),
        "ddpm-ho" => NetworkTestUtil.TinyHo(8, 1),
        "mlp-concat" => NetworkTestUtil.MlpConcat(2),
        _ => NetworkTestUtil.Mlp(2),
    };

    private static Tensor Input(NetworkConfig c, long batch, Generator rng, DType dtype = DType.Float32) =>
        c.ForVectors ? torch.Randn([batch, c.InChannels], rng, dtype) : torch.Randn([batch, c.InChannels, c.ImageSize, c.ImageSize], rng, dtype);

    /// <summary>Backward of a squared error against a random target.</summary>
    private static void Backward(ScoreNetwork net, NetworkConfig c, Generator rng)
    {
        using var scope = torch.NewDisposeScope();
        var x = Input(c, 3, rng);
        var target = torch.RandnLike(x, rng);
        var loss = (net.Forward(x, torch.Rand([3], rng)) - target).Square().Sum();
        loss.Backward();
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void GradientsAreFiniteAtInitAndReachEveryParameterAfterOneStep(string name)
    {
        var config = Config(name);
        using var rng = new Generator(3);
        using var net = NetworkFactory.Create(config, rng);
        Backward(net, config, rng);
        var output = net.NamedParameters().Last();   // the output convolution / layer's bias, registered last
        foreach (var (n, p) in net.NamedParameters())
        {
            using var g = p.Grad;
            Assert.True(g is not null, $"{n} has a gradient");
            using var finite = g!.IsFinite().All();
            Assert.True(finite.ToBool(), $"{n}: finite gradient");
        }
        using (var g = output.Parameter.Grad)
        using (var norm = g!.Abs().Sum())
            Assert.True(norm.ToDouble() > 0, $"output layer {output.Name} gets a non-zero gradient at initialisation");

        // At initialisation zero-initialised layers (ReZero gates, last convs ~1e-10) block some gradients
        // exactly; one SGD step opens every path, after which every parameter's gradient is non-zero.
        using (torch.NoGrad())
            foreach (var p in net.Parameters())
            {
                using var g = p.Grad!;
                p.Tensor.Add_(g, -1e-2);
                p.ZeroGrad();
            }
        Backward(net, config, rng);
        foreach (var (n, p) in net.NamedParameters())
        {
            using var g = p.Grad!;
            using var norm = g.Abs().Sum();
            Assert.True(norm.ToDouble() > 0, $"{n}: non-zero gradient after one step");
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void InputGradientMatchesCentralFiniteDifferencesInFloat64(string name)
    {
        var config = Config(name);
        using var rng = new Generator(11);
        using var net = NetworkFactory.Create(config, rng);
        net.To(Device.CPU, DType.Float64);
        // Perturb every weight so the zero-initialised branches (attention, last convs) contribute.
        NetworkTestUtil.Perturb(net, 0.1, 12);
        using var scope = torch.NewDisposeScope();
        var x = Input(config, 2, rng, DType.Float64);
        var c = torch.Rand([2], rng, DType.Float64);
        long n = x.Numel;
        var xd = x.Clone().RequiresGrad_();
        var y = net.Forward(xd, c);
        var yFlat = y.Reshape(-1);
        // Checked pairs (output index, input index), spread over the batch, channels and image.
        long m = y.Numel;
        (long Out, long In)[] pairs = [(0, 0), (m / 3, m / 3 + 1), (m / 2 + 5, m / 2 + 3), (m - 1, n - 1), (m / 4, 3 * n / 4)];
        const double h = 1e-6;
        foreach (var (oRaw, iRaw) in pairs)
        {
            long o = oRaw % m, i = iRaw % n;   // the MLP's output has only 4 entries
            var seed = torch.ZerosLike(yFlat);
            seed.Reshape(-1).Narrow(0, o, 1).Fill_(1.0);
            var vjp = torch.Grad([y], [xd], [seed.Reshape(y.Shape)], retainGraph: true)[0]!;
            double analytic = vjp.Reshape(-1).Narrow(0, i, 1).ToDouble();
            double numeric;
            using (torch.NoGrad())
            {
                var xp = x.Clone(); xp.Reshape(-1).Narrow(0, i, 1).Add_(h);
                var xm = x.Clone(); xm.Reshape(-1).Narrow(0, i, 1).Add_(-h);
                double fp = net.Forward(xp, c).Reshape(-1).Narrow(0, o, 1).ToDouble();
                double fm = net.Forward(xm, c).Reshape(-1).Narrow(0, o, 1).ToDouble();
                numeric = (fp - fm) / (2 * h);
            }
            // Central differences in float64 with h = 1e-6: truncation ~h^2 and rounding ~1e-16/h = 1e-10.
            Assert.True(Math.Abs(analytic - numeric) <= 1e-6 * (1 + Math.Abs(numeric)),
                $"{name}: d y[{o}] / d x[{i}] autograd {analytic:G10} vs finite difference {numeric:G10}");
        }
    }
}
