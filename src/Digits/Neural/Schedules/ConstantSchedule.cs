namespace Digits.Neural.Schedules;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule(float learningRate) : LearningRateSchedule
{
    public override float At(long step) => learningRate;
}
