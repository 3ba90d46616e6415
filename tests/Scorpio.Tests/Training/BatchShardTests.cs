using Scorpio.Data;
using Scorpio.Models;
using Scorpio.Torch;
using Scorpio.Training;

namespace Scorpio.Tests.Training;

/// <summary>
/// What makes W data-parallel ranks equal one process: the ranks' blocks tile the global batch, and the draws (noise,
/// times, augmentation) each rank makes for its block are exactly the whole batch's draws of those rows, so the ranks'
/// loss shares add up to the whole batch's loss.
/// </summary>
public class BatchShardTests
{
    public BatchShardTests() => torch.NumThreads = 2;

    [Fact]
    public void RanksTileTheBatchInBlocksThatDifferByAtMostOneRow()
    {
        for (int b = 1; b <= 9; b++)
            for (int w = 1; w <= Math.Min(b, 4); w++)
            {
                var shards = Enumerable.Range(0, w).Select(r => BatchShard.Of(b, r, w)).ToArray();
                Assert.Equal(0, shards[0].Offset);
                for (int r = 1; r < w; r++) Assert.Equal(shards[r - 1].Offset + shards[r - 1].Count, shards[r].Offset);
                Assert.Equal(b, shards.Sum(s => s.Count));
                Assert.InRange(shards.Max(s => s.Count) - shards.Min(s => s.Count), 0, 1);
            }
        Assert.True(BatchShard.Of(8, 0, 1).IsWhole);
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShard.Of(2, 0, 3));
    }

    [Fact]
    public void EachRanksDrawsAreTheWholeBatchsRows()
    {
        const int b = 7;
        using var whole = new Generator(11);
        using var n = torch.Randn([b, 1, 4, 4], whole);
        using var u = torch.Rand([b], whole);
        using var k = torch.RandInt(0, 1000, [b], whole);
        for (int w = 2; w <= 3; w++)
        {
            var parts = new List<(Tensor N, Tensor U, Tensor K)>();
            for (int r = 0; r < w; r++)
            {
                var shard = BatchShard.Of(b, r, w);
                using var g = new Generator(11);    // every rank's generator is in the same state
                var draws = new BatchDraws(g, shard);
                parts.Add((draws.Randn([shard.Count, 1, 4, 4]), draws.Rand([shard.Count]), draws.RandInt(1000, [shard.Count])));
                Assert.Equal(b, draws.GlobalBatch(shard.Count));
            }
            using var cn = torch.Cat(parts.Select(p => p.N).ToArray());
            using var cu = torch.Cat(parts.Select(p => p.U).ToArray());
            using var ck = torch.Cat(parts.Select(p => p.K).ToArray());
            Assert.True(cn.Equal(n) && cu.Equal(u) && ck.Equal(k), $"{w} ranks' draws differ from the whole batch's");
            foreach (var p in parts) { p.N.Dispose(); p.U.Dispose(); p.K.Dispose(); }
        }
    }

    [Fact]
    public void EachRanksAugmentationIsTheWholeBatchsRows()
    {
        using var x = torch.Arange(0, 6 * 64).Reshape(6, 1, 8, 8).To(DType.Float32);
        var cfg = new AugmentationConfig { Flip = true, Rot90 = true, Shift = 2 };
        using var g = new Generator(4);
        using var whole = Augmenter.Apply(x, cfg, 8, g);
        var parts = new List<Tensor>();
        for (int r = 0; r < 4; r++)
        {
            var s = BatchShard.Of(6, r, 4);
            using var gr = new Generator(4);
            using var rows = x.Narrow(0, s.Offset, s.Count);
            parts.Add(Augmenter.Apply(rows, cfg, 8, gr, s));
        }
        using var joined = torch.Cat([.. parts]);
        Assert.True(joined.Equal(whole));
        foreach (var p in parts) p.Dispose();
    }

    [Theory]
    [InlineData("ve", "dsm")]
    [InlineData("edm", "edm")]
    [InlineData("ddpm", "ddpm-l2")]
    [InlineData("ddpm", "ddpm-l1")]
    public void TheRanksLossSharesSumToTheWholeBatchsLoss(string sde, string lossName)
    {
        var config = new RunConfig
        {
            Sde = new SdeConfig { Name = sde, SigmaMax = sde == "ve" ? 20 : null },
            Network = TrainingFixtures.TinyUNet(8) with { Embedding = sde == "ddpm" ? "sinusoidal" : "fourier" },
            Normalization = new() { Kind = "none" },
            Data = new DataConfig { Shape = [1, 8, 8] },
        };
        using var init = new Generator(3);
        using var model = ScoreModel.Create(config, Device.CPU, init);
        var loss = TrainingLosses.Create(lossName, model.Parametrisation);
        using var x0 = torch.Randn([5, 1, 8, 8], new Generator(2));
        double whole;
        using (var g = new Generator(9)) using (var l = loss.Compute(model, x0, g)) whole = l.ToDouble();
        double sum = 0;
        for (int r = 0; r < 2; r++)
        {
            var s = BatchShard.Of(5, r, 2);
            using var g = new Generator(9);
            using var rows = x0.Narrow(0, s.Offset, s.Count);
            using var l = loss.Compute(model, rows, new BatchDraws(g, s));
            sum += l.ToDouble();
        }
        // The same per-sample terms summed in two groups: float32 rounding of a sum of 5 terms (1e-6 relative).
        Assert.Equal(whole, sum, Math.Abs(whole) * 1e-6);
    }
}
