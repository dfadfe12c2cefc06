namespace Digits.Neural.Schedules;

/// <summary>The learning rate as a function of the optimizer step (0-based), evaluated before each update.</summary>
public abstract class LearningRateSchedule
{
    public abstract float At(long step);
}
