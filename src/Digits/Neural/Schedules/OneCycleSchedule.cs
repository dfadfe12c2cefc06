namespace Digits.Neural.Schedules;

/// <summary>
/// The one-cycle policy (Smith &amp; Topin, "Super-Convergence", 2018; Smith 2018), as PyTorch's
/// <c>OneCycleLR</c> with cosine annealing: from maxLr/divFactor up to <c>maxLearningRate</c> over
/// the first <c>warmupFraction</c> of <c>totalSteps</c>, then down to
/// maxLr/(divFactor·finalDivFactor) at the last step.
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    private readonly float maxLearningRate, initial, final;
    private readonly double peakStep, lastStep;

    public OneCycleSchedule(float maxLearningRate, long totalSteps, float warmupFraction = 0.3f,
        float divFactor = 25f, float finalDivFactor = 1e4f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        if (!(warmupFraction is > 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "must be in (0, 1)");
        }
        this.maxLearningRate = maxLearningRate;
        initial = maxLearningRate / divFactor;
        final = initial / finalDivFactor;
        peakStep = warmupFraction * totalSteps - 1;
        lastStep = totalSteps - 1;
    }

    public override float At(long step) => step <= peakStep
        ? CosineAnnealing.Between(initial, maxLearningRate, step / peakStep)
        : CosineAnnealing.Between(maxLearningRate, final, (step - peakStep) / (lastStep - peakStep));
}
