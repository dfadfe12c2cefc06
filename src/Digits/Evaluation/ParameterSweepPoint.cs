namespace Digits.Evaluation;

/// <summary>
/// Accuracy at one value of a hyperparameter (e.g. the SVM's C). <see cref="Accuracy"/> is a fraction 0–1, a
/// validation accuracy or a mean over cross-validation folds; <see cref="StandardDeviation"/> is the spread over folds
/// in the same units, 0 for a single validation split.
/// </summary>
public sealed record ParameterSweepPoint(double Value, double Accuracy, double StandardDeviation = 0);
