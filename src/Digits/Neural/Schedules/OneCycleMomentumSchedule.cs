namespace Digits.Neural.Schedules;

/// <summary>
/// The momentum half of the one-cycle policy (Smith 2018, "A disciplined approach to neural network
/// hyper-parameters: Part 1"; Smith &amp; Topin 2018): momentum moves against the learning rate of a
/// <see cref="OneCycleSchedule"/> with the same steps and warm-up, from <c>maxMomentum</c> down to
/// <c>baseMomentum</c> while the rate rises, then back up to <c>maxMomentum</c> while it anneals. Smith found
/// that a high momentum during a large learning rate destabilizes training, and a high one at a small rate speeds
/// up the end. This is PyTorch's <c>OneCycleLR(cycle_momentum=True, anneal_strategy='cos')</c>, which for Adam
/// drives β1 (Kingma &amp; Ba 2015); step s &lt;= 0.3·total − 1 gets
/// cos_anneal(max, base, s / (0.3·total − 1)), later steps cos_anneal(base, max, (s − peak) / (total − 1 − peak)).
/// </summary>
public sealed class OneCycleMomentumSchedule
{
    private readonly float baseMomentum, maxMomentum;
    private readonly double peakStep, lastStep;

    public OneCycleMomentumSchedule(float baseMomentum, float maxMomentum, long totalSteps, float warmupFraction = 0.3f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        if (!(warmupFraction is > 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "must be in (0, 1)");
        }
        if (!(baseMomentum is >= 0f and < 1f) || !(maxMomentum is >= 0f and < 1f) || baseMomentum > maxMomentum)
        {
            throw new ArgumentOutOfRangeException(nameof(baseMomentum), (baseMomentum, maxMomentum), "need 0 <= base <= max < 1");
        }
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        peakStep = warmupFraction * totalSteps - 1;
        lastStep = totalSteps - 1;
    }

    /// <summary>The momentum (Adam's β1) for optimizer step <paramref name="step"/> (0-based), set before that update.</summary>
    public float At(long step) => step <= peakStep
        ? CosineAnnealing.Between(maxMomentum, baseMomentum, step / peakStep)
        : CosineAnnealing.Between(baseMomentum, maxMomentum, (step - peakStep) / (lastStep - peakStep));
}
