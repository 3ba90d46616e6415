using System.CommandLine;
using Scorpio.Catalogues;

namespace Scorpio.Cli;

/// <summary>`scorpio merge`: one output from the shards of a catalogue run (Scorpio.Catalogues.CatalogueMerge).</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "The --out folder of a catalogue run (posterior, inpaint, transfer or sample with --catalogue / --shard)." };
        var output = new Option<string?>("--out") { Description = "Output folder (default RUN/merged): every product stacked over objects, objects.csv, summary.json." };
        var samples = new Option<bool>("--samples") { Description = "Also stack the per-object samples.fits (N objects x samples x ...: the bulk of a run)." };
        var cmd = new Command("merge", "Assemble the shards of a catalogue run into one output, after checking that every object is there exactly once. Example:\n" +
            "  scorpio merge runs/survey-posteriors")
        {
            run, output, samples,
        };
        cmd.SetAction(pr =>
        {
            string dir = pr.GetValue(run)!;
            var files = CatalogueMerge.Merge(dir, pr.GetValue(output), pr.GetValue(samples), m => Console.Error.WriteLine(m));
            Console.WriteLine($"merged {dir}: {string.Join(", ", files)} in {pr.GetValue(output) ?? Path.Combine(dir, "merged")}");
            return 0;
        });
        return cmd;
    }
}
