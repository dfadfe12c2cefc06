namespace Digits.Neural.Schedules;

/// <summary>The learning rate as a function of the optimizer step (0-based), evaluated before each update.</summary>
public abstract class LearningRateSchedule
{
    public abstract float At(long step);

    /// <summary>Cosine interpolation from <paramref name="start"/> (fraction 0) to <paramref name="end"/> (fraction 1).</summary>
    protected static float CosineBetween(float start, float end, double fraction) =>
        (float)(end + (start - end) * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(fraction, 0, 1))));
}
