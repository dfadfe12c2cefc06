namespace Digits.Neural.Schedules;

/// <summary>
/// Multiplies the rate by <c>gamma</c> every <c>stepSize</c> steps, like PyTorch's
/// <c>StepLR</c>: lr · gamma^⌊step / stepSize⌋.
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    private readonly float learningRate, gamma;
    private readonly long stepSize;

    public StepSchedule(float learningRate, long stepSize, float gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        this.learningRate = learningRate;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    public override float At(long step) => learningRate * MathF.Pow(gamma, step / stepSize);
}
