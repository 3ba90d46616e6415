using Scorpio.Models;
using Scorpio.Torch;
using Scorpio.Torch.NN;
using Scorpio.Torch.Optim;

namespace Scorpio.Training;

/// <summary>
/// One optimiser step of a score model: loss, backward, optional gradient-norm clipping, Adam, EMA. Nothing is read on
/// the host (the loss and the gradient norm come back as tensors), so on a GPU consecutive steps queue without waiting;
/// the caller reads the returned values when it needs them (<see cref="Trainer"/> every few steps). Data-parallel
/// training calls the two halves, <see cref="Backward"/> and <see cref="Update"/>, with the gradients' allreduce between
/// them, so the whole batch's gradient is what gets clipped.
/// </summary>
public sealed class TrainingStep(ScoreModel model, ITrainingLoss loss, Adam optimizer, Ema ema, double gradClip)
{
    private readonly Parameter[] _parameters = model.Network.Parameters().ToArray();

    /// <summary>The parameters whose gradients <see cref="Backward"/> fills and <see cref="Update"/> uses.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Runs one step on the batch <paramref name="x0"/> (normalised samples) with noise from <paramref name="draws"/>.
    /// Returns the loss (0-d, detached) and the gradient norm before clipping (0-d float64; zero when clipping is off),
    /// both owned by the caller's dispose scope.
    /// </summary>
    public (Tensor Loss, Tensor GradNorm) Run(Tensor x0, BatchDraws draws)
    {
        var l = Backward(x0, draws);
        return (l, Update());
    }

    /// <summary>
    /// The first half of a step: the loss of <paramref name="x0"/> and its gradients (which replace the previous ones).
    /// Returns the loss (0-d, detached, in the caller's dispose scope).
    /// </summary>
    public Tensor Backward(Tensor x0, BatchDraws draws)
    {
        optimizer.ZeroGrad();
        var l = loss.Compute(model, x0, draws);
        l.Backward();
        return l.Detach();
    }

    /// <summary>
    /// The second half of a step, from the gradients now held: clipping of their norm (on the device), Adam, EMA.
    /// Returns the gradient norm before clipping (0-d float64; zero when clipping is off) in the caller's dispose scope.
    /// </summary>
    public Tensor Update()
    {
        var norm = gradClip > 0 ? GradClip.ClipGradNormOnDevice(_parameters, gradClip) : torch.Zeros([], DType.Float64, _parameters[0].Tensor.Device);
        optimizer.Step();
        ema.Update();
        optimizer.ZeroGrad();
        return norm;
    }
}
