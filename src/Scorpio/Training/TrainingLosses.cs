using Scorpio.Astro;
using Scorpio.Models;

namespace Scorpio.Training;

/// <summary>The built-in objectives by name; which ones apply is the parametrisation's business.</summary>
public static class TrainingLosses
{
    /// <summary>
    /// The loss named <paramref name="name"/> (dsm, edm, ddpm-l2, ddpm-l1) for a model of kind <paramref name="parametrisation"/>;
    /// a user error naming the SDE the loss needs when it does not apply.
    /// </summary>
    public static ITrainingLoss Create(string name, Parametrisation parametrisation)
    {
        if (!TrainingConfig.Losses.Contains(name) && name != "ddpm")
            throw new UserInputException($"unknown loss '{name}': use one of {string.Join(", ", TrainingConfig.Losses)}");
        return parametrisation.Loss(name) ?? throw new UserInputException(name switch
        {
            "edm" => $"the edm loss needs --sde edm (the run uses {parametrisation.Sde.Name}); use dsm",
            _ => $"the {name} loss needs --sde ddpm (the run uses {parametrisation.Sde.Name}); use dsm",
        });
    }
}
