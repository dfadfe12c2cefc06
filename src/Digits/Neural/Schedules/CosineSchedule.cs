namespace Digits.Neural.Schedules;

/// <summary>
/// Cosine decay (Loshchilov &amp; Hutter, "SGDR", ICLR 2017, without restarts) from <c>peak</c> to
/// <c>minimum</c> over <c>totalSteps</c>, after an optional linear warm-up (Goyal et
/// al. 2017) that rises to the peak over <c>warmupSteps</c>: step s &lt; warmup gets
/// peak·(s + 1)/warmup. Steps past the end keep the minimum.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    private readonly float peak, minimum;
    private readonly long totalSteps, warmupSteps;

    public CosineSchedule(float peak, long totalSteps, long warmupSteps = 0, float minimum = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(totalSteps, warmupSteps);
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
        this.minimum = minimum;
    }

    public override float At(long step) => step < warmupSteps
        ? peak * (step + 1) / warmupSteps
        : CosineAnnealing.Between(peak, minimum, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
}
