using System.Globalization;
using Scorpio.Networks;

namespace Scorpio.Cli.Tests;

/// <summary>
/// Every network preset trains and samples through the CLI, as a user would type it: `scorpio train --preset P` for two
/// steps, then `scorpio sample` with two Euler-Maruyama steps. The published NCSN++ has 352 parameter tensors, more than
/// the dispatcher's first result buffer (256): its optimiser and gradient-clip foreach ops once failed here. Images are
/// 16x16 (every preset's levels divide 16) and batches are 2, so the published sizes cost seconds, not minutes.
/// </summary>
public class PresetEndToEndTests
{
    public static TheoryData<string> PresetNames => new(NetworkPresets.Presets.Keys.Order());

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void TrainsTwoStepsAndSamples(string preset)
    {
        var dir = Directory.CreateTempSubdirectory("scorpio-preset-").FullName;
        try
        {
            string Path(string f) => System.IO.Path.Combine(dir, f);
            Assert.Equal(0, CliProcess.Run(dir, ["simulate", "galaxies", "--n", "4", "--size", "16", "--out", Path("g.fits"), "--seed", "1"]).ExitCode);
            var (rc, stdout, stderr) = CliProcess.Run(dir, ["train", "--data", Path("g.fits"), "--out", Path("run"), "--preset", preset,
                "--steps", "2", "--batch", "2", "--threads", "2", "--seed", "4"]);
            Assert.True(rc == 0, $"train --preset {preset} exited {rc}: {stderr}{stdout}");
            // loss.csv: a header and one finite, positive DSM loss per step.
            var rows = File.ReadAllLines(Path("run/loss.csv")).Skip(1).ToArray();
            Assert.Equal(2, rows.Length);
            foreach (var row in rows)
            {
                double loss = double.Parse(row.Split(',')[1], CultureInfo.InvariantCulture);
                Assert.True(double.IsFinite(loss) && loss > 0, $"{preset}: loss {loss}");
            }
            (rc, stdout, stderr) = CliProcess.Run(dir, ["sample", "--model", Path("run"), "--n", "1", "--sampler", "euler-maruyama",
                "--steps", "2", "--out", Path("s.fits"), "--threads", "2", "--seed", "5"]);
            Assert.True(rc == 0, $"sample from --preset {preset} exited {rc}: {stderr}{stdout}");
            var sample = Scorpio.Astro.Fits.FitsFile.Read(Path("s.fits"));
            Assert.Equal(16 * 16, sample.Length);
            Assert.All(sample.Data, v => Assert.True(float.IsFinite(v)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
