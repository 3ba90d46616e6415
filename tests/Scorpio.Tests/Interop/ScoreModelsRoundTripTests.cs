using Scorpio.Interop;
using Scorpio.Torch;
using Scorpio.Torch.Serialization;
using Scorpio.Training;

namespace Scorpio.Tests.Interop;

/// <summary>
/// Export writes exactly what score_models writes (the same names, in the same order, with the same bytes as the fixture's
/// own checkpoint), and importing an export gives back the same run bit for bit, in both formats.
/// </summary>
public class ScoreModelsRoundTripTests
{
    public static TheoryData<string> Fixtures => new(ScoreModelsFixtures.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ExportEqualsScoreModelsOwnCheckpointAndImportsBackBitIdentically(string name)
    {
        var run = ScoreModelsFixtures.Import(name);
        var dir = TestPaths.TempDir("sm-export-" + name);
        var pt = Path.Combine(dir, "pt", "checkpoint_001.pt");
        ScoreModelsExport.Run(run, "pytorch", pt);
        var original = Directory.EnumerateFiles(ScoreModelsFixtures.Folder(name), "checkpoint*.pt").Single();
        using (var theirs = PtFile.Load(original))
        using (var ours = PtFile.Load(pt))
        {
            Assert.Equal(theirs.Tensors.Select(kv => kv.Key), ours.Tensors.Select(kv => kv.Key));
            for (int i = 0; i < theirs.Tensors.Count; i++)
                Assert.True(theirs.Tensors[i].Value.ToBytes().AsSpan().SequenceEqual(ours.Tensors[i].Value.ToBytes()), theirs.Tensors[i].Key);
        }
        var st = Path.Combine(dir, "st", "model.safetensors");
        ScoreModelsExport.Run(run, null, st);
        foreach (var exported in new[] { Path.GetDirectoryName(pt)!, st })
        {
            var back = Path.Combine(TestPaths.TempDir("sm-back-" + name), "run");
            ScoreModelsImport.Run(new ScoreModelsImportRequest { Checkpoint = exported, OutDir = back });
            Assert.Equal(File.ReadAllText(Path.Combine(run, "config.json")), File.ReadAllText(Path.Combine(back, "config.json")));
            var a = new RunFolder(run).ReadModelWeights();
            var b = new RunFolder(back).ReadModelWeights();
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            Assert.All(a, kv => Assert.True(kv.Value.ToBytes().AsSpan().SequenceEqual(b[kv.Key].ToBytes()), kv.Key));
            foreach (var t in a.Values.Concat(b.Values)) t.Dispose();
        }
    }
}
