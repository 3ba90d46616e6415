using System.CommandLine;
using System.Globalization;
using Scorpio.Interop;

namespace Scorpio.Cli;

/// <summary>`scorpio import score-models`: a score_models model (PyTorch) as a Scorpio run folder.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A score_models model folder (model_hparams.json + checkpoint_*.pt; the highest-numbered checkpoint is read) or one state-dict file (.pt, .safetensors).", Required = true };
        var hparams = new Option<string?>("--hparams") { Description = "The hyperparameter JSON (default: model_hparams.json in the folder, or beside the file)." };
        var size = new Option<int?>("--size") { Description = $"Image side recorded for `scorpio sample` (score_models records none; default {ScoreModelsImport.DefaultImageSize}). Other commands take any multiple of 2^(levels-1)." };
        var output = new Option<string>("--out") { Description = "The Scorpio run folder to write (config.json, model.safetensors); must not hold a run.", Required = true };
        var scoreModels = new Command("score-models", "Import a model trained with the Python package score_models (NCSNpp, DDPM or MLP; VE or VP SDE).\n" +
            "The .pt file is read without Python and without running code (a restricted unpickler: state dicts only). Example:\n" +
            "  scorpio import score-models --checkpoint hst_prior/ --out runs/hst_prior\n" +
            "  scorpio denoise --model runs/hst_prior --image noisy.fits --sigma 0.05 --out denoised.fits")
        {
            checkpoint, hparams, size, output,
        };
        scoreModels.MapParameters(("imageSize", size));
        scoreModels.SetAction(pr =>
        {
            var result = ScoreModelsImport.Run(new ScoreModelsImportRequest
            {
                Checkpoint = pr.GetValue(checkpoint)!, Hyperparameters = pr.GetValue(hparams), OutDir = pr.GetValue(output)!,
                ImageSize = pr.GetValue(size), Seed = CliContext.Seed(pr),
            });
            foreach (var note in result.Notes) Console.Error.WriteLine("notice: " + note);
            var c = result.Config;
            string sde = c.Sde.Name == "ve"
                ? $"VE SDE (sigma {Number(c.Sde.SigmaMin ?? 0)} to {Number(c.Sde.SigmaMax ?? 0)})"
                : $"VP SDE (beta {Number(c.Sde.BetaMin)} to {Number(c.Sde.BetaMax)})";
            Console.WriteLine($"imported {result.Checkpoint} (score_models {result.Layout} layout, hyperparameters {result.HyperparametersFile}): " +
                $"network {c.Network.Arch}, {result.Parameters.ToString("N0", CultureInfo.InvariantCulture)} values in {result.Tensors} tensors, {sde}; wrote {pr.GetValue(output)}");
            return 0;
        });
        return new Command("import", "Bring a model trained elsewhere into a Scorpio run folder.") { scoreModels };
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
