using System.Text.Json.Nodes;
using Scorpio.Astro;
using Scorpio.Interop;
using Scorpio.Networks;
using Scorpio.Torch;
using Scorpio.Torch.Serialization;
using Scorpio.Tests.Networks;
using Scorpio.Training;

namespace Scorpio.Tests.Interop;

/// <summary>What import and export refuse, and that the message names the file and the offending key or tensor.</summary>
public class ScoreModelsImportErrorTests
{
    // A copy of a fixture folder whose hyperparameters (and state dict) a test may change.
    private static string Copy(string name, Action<JsonObject>? edit = null)
    {
        var dir = TestPaths.TempDir("sm-copy-" + name);
        foreach (var f in Directory.EnumerateFiles(ScoreModelsFixtures.Folder(name)))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        if (edit is not null)
        {
            var path = Path.Combine(dir, ScoreModelsHyperparameters.FileName);
            var hp = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            edit(hp);
            File.WriteAllText(path, hp.ToJsonString());
        }
        return dir;
    }

    private static string Out() => Path.Combine(TestPaths.TempDir("sm-out"), "run");

    private static string Refused(string checkpoint, string? hparams = null)
    {
        var outDir = Out();
        var e = Assert.ThrowsAny<UserInputException>(() =>
            ScoreModelsImport.Run(new ScoreModelsImportRequest { Checkpoint = checkpoint, Hyperparameters = hparams, OutDir = outDir }));
        Assert.False(File.Exists(Path.Combine(outDir, "config.json")), "nothing is written when the import fails");
        return e.Message;
    }

    [Theory]
    [InlineData("model_architecture", "\"unet3d\"", "model_architecture 'unet3d' is not one Scorpio imports")]
    [InlineData("progressive", "\"residual\"", "progressive = residual cannot be represented")]
    [InlineData("resblock_type", "\"ddpm\"", "resblock_type = ddpm cannot be represented")]
    [InlineData("fir_kernel", "[1, 2, 1]", "fir_kernel = [1, 2, 1] cannot be represented")]
    [InlineData("conditions", "[\"time_discrete\"]", "conditions = [time_discrete] cannot be represented")]
    [InlineData("sde", "\"tsve\"", "sde = tsve cannot be represented")]
    [InlineData("T", "2.0", "T = 2 cannot be represented")]
    [InlineData("dimensions", "3", "dimensions = 3 cannot be represented")]
    [InlineData("nf", "\"wide\"", "key 'nf' should be an integer")]
    public void HyperparametersScorpioCannotRepresentAreNamed(string key, string json, string expected)
    {
        var dir = Copy("ncsnpp_ve", hp => hp[key] = JsonNode.Parse(json));
        var message = Refused(dir);
        Assert.Contains(ScoreModelsHyperparameters.FileName, message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void AnUnknownVpScheduleIsRefused()
    {
        var dir = Copy("ddpm_vp", hp => hp["schedule"] = "sigmoid");
        Assert.Contains("schedule = sigmoid cannot be represented", Refused(dir));
    }

    [Fact]
    public void MissingAndUnexpectedTensorsAreNamed()
    {
        // The hyperparameters say nf 32, the weights are nf 16: every shape differs; with one level fewer, tensors are missing.
        Assert.Contains("has shape (8), the network of", Refused(Copy("ncsnpp_ve", hp => hp["nf"] = 32)));
        var fewer = Refused(Copy("ncsnpp_ve", hp => hp["ch_mult"] = new JsonArray(1, 1)));
        Assert.Contains("its tensors do not fit the network", fewer);
        Assert.Contains("unexpected", fewer);
        var more = Refused(Copy("ncsnpp_ve", hp => hp["ch_mult"] = new JsonArray(1, 1, 2, 2)));
        Assert.Contains("missing", more);
        Assert.Contains("all_modules.", more);
    }

    [Fact]
    public void AMaliciousCheckpointIsRefusedThroughTheImporter()
    {
        var dir = Copy("mlp_ve");
        var ckpt = Path.Combine(dir, "checkpoint_001.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(ckpt, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("data.pkl"));
            string name = entry.FullName;
            entry.Delete();
            using var s = zip.CreateEntry(name).Open();
            s.Write([0x80, 2, (byte)'c', .. "os\nsystem\n"u8, (byte)'X', 2, 0, 0, 0, (byte)'l', (byte)'s', 0x85, (byte)'R', (byte)'.']);
        }
        var message = Refused(dir);
        Assert.Contains(ckpt, message);
        Assert.Contains("'os.system'", message);
    }

    [Fact]
    public void WrappedAndSafetensorsStateDictsImport()
    {
        // A ScoreModel wrapper's state dict (names under "net.") saved as .safetensors, hyperparameters given apart.
        var fixture = ScoreModelsFixtures.Folder("mlp_ve");
        using var pt = PtFile.Load(Path.Combine(fixture, "checkpoint_001.pt"));
        var file = Path.Combine(TestPaths.TempDir("sm-wrapped"), "weights.safetensors");
        Safetensors.Save(file, pt.Tensors.ToDictionary(kv => "net." + kv.Key, kv => kv.Value));
        var run = Out();
        var result = ScoreModelsImport.Run(new ScoreModelsImportRequest
        {
            Checkpoint = file, Hyperparameters = Path.Combine(fixture, ScoreModelsHyperparameters.FileName), OutDir = run,
        });
        Assert.Equal("mlp-concat", result.Config.Network.Arch);
        Assert.Equal(pt.Tensors.Count, result.Tensors);
    }

    [Fact]
    public void AnExistingRunIsNotOverwrittenAndMissingFilesAreNamed()
    {
        var run = ScoreModelsFixtures.Import("mlp_ve");
        var e = Assert.ThrowsAny<UserInputException>(() => ScoreModelsImport.Run(new ScoreModelsImportRequest { Checkpoint = ScoreModelsFixtures.Folder("mlp_ve"), OutDir = run }));
        Assert.Contains("already holds a run", e.Message);
        var empty = TestPaths.TempDir("sm-empty");
        Assert.Contains("no checkpoint_*.pt", Refused(empty));
        var lone = Path.Combine(TestPaths.TempDir("sm-lone"), "checkpoint_001.pt");
        File.Copy(Path.Combine(ScoreModelsFixtures.Folder("mlp_ve"), "checkpoint_001.pt"), lone);
        Assert.Contains("give the JSON with --hparams", Refused(lone));
        Assert.Contains("30 is not a multiple of 4", Assert.ThrowsAny<UserInputException>(() => ScoreModelsImport.Run(new ScoreModelsImportRequest
        {
            Checkpoint = ScoreModelsFixtures.Folder("ncsnpp_ve"), OutDir = Out(), ImageSize = 30,
        })).Message);
    }

    [Fact]
    public void ExportRefusesWhatScoreModelsCannotBuild()
    {
        // Scorpio's CPU NCSN++ attends at 8 px with a normalised block; an EDM run has no score_models SDE.
        var config = new RunConfig { Network = NetworkPresets.Tiny(16, 1), Sde = new SdeConfig { Name = "ve", SigmaMax = 10 } };
        Assert.Contains("network.attentionResolutions", Assert.Throws<NotRepresentableException>(() => ScoreModelsHyperparameters.Write(config)).Message);
        var edm = config with { Network = NetworkTestUtil.TinyScoreModelsNcsnpp(16, 1), Sde = new SdeConfig { Name = "edm" } };
        Assert.Contains("sde.name = edm", Assert.Throws<NotRepresentableException>(() => ScoreModelsHyperparameters.Write(edm)).Message);
        var astro = config with { Network = NetworkPresets.DdpmCpu(16, 1) };
        Assert.Contains("network.embedding = sinusoidal", Assert.Throws<NotRepresentableException>(() => ScoreModelsHyperparameters.Write(astro)).Message);
    }
}
