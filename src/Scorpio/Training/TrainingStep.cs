using Scorpio.Models;
using Scorpio.Torch;
using Scorpio.Torch.NN;
using Scorpio.Torch.Optim;

namespace Scorpio.Training;

/// <summary>
/// One optimiser step of a score model: loss, backward, optional gradient-norm clipping, Adam, EMA. Nothing is read on
/// the host (the loss and the gradient norm come back as tensors), so on a GPU consecutive steps queue without waiting;
/// the caller reads the returned values when it needs them (<see cref="Trainer"/> every few steps).
/// </summary>
public sealed class TrainingStep(ScoreModel model, ITrainingLoss loss, Adam optimizer, Ema ema, double gradClip)
{
    private readonly Parameter[] _parameters = model.Network.Parameters().ToArray();

    /// <summary>
    /// Runs one step on the batch <paramref name="x0"/> (normalised samples) with noise from <paramref name="rng"/>.
    /// Returns the loss (0-d, detached) and the gradient norm before clipping (0-d float64; zero when clipping is off),
    /// both owned by the caller's dispose scope.
    /// </summary>
    public (Tensor Loss, Tensor GradNorm) Run(Tensor x0, Generator rng)
    {
        optimizer.ZeroGrad();
        var l = loss.Compute(model, x0, rng);
        l.Backward();
        var norm = gradClip > 0 ? GradClip.ClipGradNormOnDevice(_parameters, gradClip) : torch.Zeros([], DType.Float64, x0.Device);
        optimizer.Step();
        ema.Update();
        optimizer.ZeroGrad();
        return (l.Detach(), norm);
    }
}
