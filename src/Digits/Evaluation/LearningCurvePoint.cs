namespace Digits.Evaluation;

/// <summary>
/// A model's figures after one training epoch. Losses are mean cross-entropy in nats; accuracies are fractions 0–1.
/// Validation figures are null when training ran without a validation split.
/// </summary>
public sealed record LearningCurvePoint(
    int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss = null, double? ValidationAccuracy = null);
