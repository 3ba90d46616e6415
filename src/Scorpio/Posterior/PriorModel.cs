using Scorpio.Diffusion;
using Scorpio.Training;
using Scorpio.Models;

namespace Scorpio.Posterior;

/// <summary>
/// What the inverse-problem pipelines need from a prior: its score (normalised units), SDE, image shape (C, H, W) and the
/// affine map to physical units. Built from a trained <see cref="ScoreModel"/> or, in tests, from an analytic score.
/// </summary>
public sealed record PriorModel(IScoreFunction Score, Sde Sde, long[] Shape, PriorUnits Units, string Description)
{
    /// <summary>A trained prior; its normalisation must be affine (see <see cref="PriorUnits.FromNormalization"/>).</summary>
    public static PriorModel From(ScoreModel model, string description)
    {
        var shape = model.Config.Data.Shape.Select(s => (long)s).ToArray();
        if (shape.Length != 3) throw new Astro.UserInputException($"{description}: the prior was trained on vectors, not images; posterior sampling needs an image prior");
        var units = PriorUnits.FromNormalization(model.Normalization, (int)shape[0]);
        return new PriorModel(model, model.Sde, shape, units, description);
    }
}
