using System.Globalization;
using Digits.Evaluation;

namespace Digits.Neural.Training;

/// <summary>One finished training epoch: its learning-curve point, how long it took and the learning rate it ended with.</summary>
/// <param name="Point">Losses (nats) and accuracies (0–1); validation figures null without a validation set.</param>
/// <param name="Seconds">Wall time of the epoch's training and validation.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Improved">Whether this epoch became the best so far (and was checkpointed).</param>
public sealed record EpochSummary(LearningCurvePoint Point, double Seconds, double LearningRate, bool Improved)
{
    /// <summary>
    /// The fixed, parseable log line for this epoch, e.g.
    /// <c>Epoch 3/12 train_loss=0.0412 train_acc=0.9871 val_loss=0.0301 val_acc=0.9912 lr=0.000812 time=14.2s</c>.
    /// Missing validation figures print as <c>-</c>. Always invariant culture.
    /// </summary>
    public string ToLogLine(int epochs) => string.Create(CultureInfo.InvariantCulture,
        $"Epoch {Point.Epoch}/{epochs} train_loss={Point.TrainLoss:F4} train_acc={Point.TrainAccuracy:F4} " +
        $"val_loss={Format(Point.ValidationLoss)} val_acc={Format(Point.ValidationAccuracy)} lr={LearningRate:F6} time={Seconds:F1}s");

    private static string Format(double? value) =>
        value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
