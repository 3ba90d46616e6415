using Scorpio.Diffusion;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Tests.Models;

/// <summary>ScoreModel turns network outputs into scores exactly as its documentation states, per SDE.</summary>
public class ParametrisationTests
{
    public ParametrisationTests() => torch.NumThreads = 2;

    /// <summary>Returns the constant <paramref name="value"/> everywhere and records its last condition.</summary>
    private sealed class ConstantNetwork(double value) : ScoreNetwork
    {
        public double[] LastCondition = [];
        public double[] LastInputScale = [];
        public override Tensor Forward(Tensor x, Tensor condition)
        {
            LastCondition = condition.ToDoubleArray();
            return torch.FullLike(x, value);
        }
    }

    private static RunConfig Config(string sde, string embedding = "fourier") => new()
    {
        Sde = new SdeConfig { Name = sde, SigmaMax = sde == "ve" ? 20 : null },
        Network = new NetworkConfig { Arch = "mlp", InChannels = 3, Embedding = embedding },
        Normalization = new() { Kind = "none" },
        Data = new DataConfig { Shape = [3] },
    };

    [Fact]
    public void ContinuousSdesDivideTheOutputBySigma()
    {
        foreach (var name in new[] { "ve", "vp", "subvp", "vp-cosine" })
        {
            using var m = new ScoreModel(Config(name), new ConstantNetwork(0.5), Device.CPU);
            using var x = torch.Zeros([2, 3]);
            using var t = torch.FromArray(new float[] { 0.1f, 0.7f });
            using var s = m.Score(x, t);
            var v = s.ToDoubleArray();
            Assert.Equal(0.5 / m.Sde.Sigma(0.1f), v[0], 4);
            Assert.Equal(0.5 / m.Sde.Sigma(0.7f), v[3], 4);
            Assert.Equal([0.1f, 0.7f], ((ConstantNetwork)m.Network).LastCondition.Select(c => (float)c));
        }
        using var sin = new ScoreModel(Config("vp", "sinusoidal"), new ConstantNetwork(0), Device.CPU);
        using var x2 = torch.Zeros([1, 3]);
        using var s2 = sin.Score(x2, 0.5);
        Assert.Equal(999 * 0.5, ((ConstantNetwork)sin.Network).LastCondition[0], 3);
    }

    [Fact]
    public void EdmWithZeroNetworkIsTheScoreOfGaussianDataWithSigmaData()
    {
        // F = 0: D = c_skip x, score = (c_skip - 1) x / sigma^2 = -x / (sigma^2 + sd^2), the exact score of N(0, sd^2) data.
        using var m = new ScoreModel(Config("edm"), new ConstantNetwork(0), Device.CPU);
        using var x = torch.FromArray(new float[] { 1, -2, 3, 0.5f, 0.5f, 0.5f }, 2, 3);
        using var t = torch.FromArray(new float[] { 0.3f, 4f });
        var s = m.Score(x, t).ToDoubleArray();
        Assert.Equal(-1 / (0.09 + 0.25), s[0], 3);
        Assert.Equal(-0.5 / (16 + 0.25), s[3], 5);
        Assert.Equal(Math.Log(0.3f) / 4, ((ConstantNetwork)m.Network).LastCondition[0], 5);
        // sigma s = (D - x) / sigma.
        var n = m.SigmaScore(x, t).ToDoubleArray();
        Assert.Equal(-1 * 0.3 / (0.09 + 0.25), n[0], 3);
    }

    [Fact]
    public void DdpmScoreIsMinusEpsilonOverSqrtOneMinusAlphaBar()
    {
        using var m = new ScoreModel(Config("ddpm", "sinusoidal"), new ConstantNetwork(0.8), Device.CPU);
        var ddpm = (DdpmSde)m.Sde;
        double t = ddpm.TimeOf(249);
        using var x = torch.Zeros([1, 3]);
        var s = m.Score(x, t).ToDoubleArray();
        Assert.Equal(-0.8 / Math.Sqrt(1 - ddpm.AlphaBars[249]), s[0], 4);
        Assert.Equal(249, ((ConstantNetwork)m.Network).LastCondition[0]);
        Assert.Equal(-0.8, m.SigmaScore(x, torch.Full([1], t)).ToDoubleArray()[0], 5);
    }
}
