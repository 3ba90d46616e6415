using Scorpio.Astro;
using Scorpio.Catalogues;

namespace Scorpio.Tests.Catalogues;

/// <summary>Shards tile a catalogue; a Slurm array task is a shard; per-object seeds do not depend on the shard.</summary>
public class ShardTests
{
    [Fact]
    public void ShardsTileAnyCatalogue()
    {
        foreach (int total in new[] { 0, 1, 5, 64, 1001 })
            foreach (int n in new[] { 1, 2, 3, 4, 16 })
            {
                var ranges = Enumerable.Range(0, n).Select(i => new Shard(i, n).Range(total)).ToArray();
                Assert.Equal(0, ranges[0].First);
                Assert.Equal(total, ranges[^1].End);
                for (int i = 1; i < n; i++) Assert.Equal(ranges[i - 1].End, ranges[i].First);
                Assert.InRange(ranges.Max(r => r.End - r.First) - ranges.Min(r => r.End - r.First), 0, 1);
            }
    }

    [Fact]
    public void ParsesIOverN()
    {
        Assert.Equal(new Shard(3, 16), Shard.Parse("3/16"));
        foreach (var bad in new[] { "4/4", "-1/4", "1", "a/b", "1/0" })
            Assert.Equal("shard", Assert.Throws<InvalidSettingException>(() => Shard.Parse(bad)).Parameter);
    }

    [Fact]
    public void ASlurmArrayTaskIsAShardWhateverTheFirstIndex()
    {
        Shard? From(params (string, string)[] vars) => Shard.FromSlurm(k => vars.FirstOrDefault(v => v.Item1 == k).Item2);
        Assert.Null(From());
        Assert.Equal(new Shard(0, 16), From(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "16")));
        Assert.Equal(new Shard(15, 16), From(("SLURM_ARRAY_TASK_ID", "15"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "16")));
        Assert.Throws<UserInputException>(() => From(("SLURM_ARRAY_TASK_ID", "20"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "16")));
        // A variable that is not a number is named (it was an internal error: int.Parse's FormatException).
        Assert.Contains("SLURM_ARRAY_TASK_ID=abc", Assert.Throws<UserInputException>(() => From(("SLURM_ARRAY_TASK_ID", "abc"), ("SLURM_ARRAY_TASK_COUNT", "16"))).Message);
        Assert.Contains("SLURM_ARRAY_TASK_COUNT=99999999999", Assert.Throws<UserInputException>(() => From(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "99999999999"))).Message);
    }

    /// <summary>A damaged run record or object record stops the merge with the file named (it was a NullReferenceException or JsonException).</summary>
    [Fact]
    public void TheMergeNamesADamagedRecord()
    {
        string run = TestPaths.TempDir("merge-damaged");
        File.WriteAllText(Path.Combine(run, CatalogueJob.ManifestFile), "{\"objects\": \"many\"}");
        var e = Assert.Throws<UserInputException>(() => CatalogueMerge.Merge(run));
        Assert.Contains(CatalogueJob.ManifestFile, e.Message);
        Assert.Contains("no integer 'objects'", e.Message);
        File.WriteAllText(Path.Combine(run, CatalogueJob.ManifestFile), "{\"objects\": 1, \"command\": \"posterior\"}");
        string record = Path.Combine(run, CatalogueJob.ObjectsFolder, "000000", CatalogueJob.ObjectRecord);
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        File.WriteAllText(record, "{\"index\": 0,");
        e = Assert.Throws<UserInputException>(() => CatalogueMerge.Merge(run));
        Assert.Contains(record, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void ObjectSeedsDifferBetweenObjectsAndRuns()
    {
        var seeds = Enumerable.Range(0, 1000).Select(j => Catalogue.ObjectSeed(5, j)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.NotEqual(Catalogue.ObjectSeed(5, 1), Catalogue.ObjectSeed(6, 0));
        Assert.Equal(Catalogue.ObjectSeed(5, 42), Catalogue.ObjectSeed(5, 42));
    }
}
