using System.CommandLine;
using Scorpio.Interop;

namespace Scorpio.Cli;

/// <summary>`scorpio export`: a run's weights with score_models' names, for PyTorch.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder (scorpio train or scorpio import).", Required = true };
        var format = new Option<string?>("--format") { Description = "pytorch (a torch.save state dict) or safetensors; default from --out's extension (.pt, .safetensors)." };
        var output = new Option<string>("--out") { Description = "The weights file; model_hparams.json is written beside it. --out DIR/checkpoint_001.pt makes DIR a score_models model folder.", Required = true };
        var cmd = new Command("export", "Write a run's weights with score_models' parameter names and its hyperparameter file, for PyTorch:\n" +
            "  scorpio export --model runs/prior --format pytorch --out exported/checkpoint_001.pt\n" +
            "  python: ScoreModel(path='exported')  or  net.load_state_dict(torch.load('exported/checkpoint_001.pt'))\n" +
            "Exports the networks score_models builds: ncsnpp in its score_models layout (e.g. --preset ncsnpp-paper), ddpm-ho, mlp-concat; VE, VP or vp-cosine-clipped SDE.")
        {
            model, format, output,
        };
        cmd.SetAction(pr =>
        {
            string outFile = pr.GetValue(output)!;
            var hparams = ScoreModelsExport.Run(pr.GetValue(model)!, pr.GetValue(format), outFile);
            Console.WriteLine($"wrote {outFile} (score_models' parameter names) and {hparams}");
            return 0;
        });
        return cmd;
    }
}
