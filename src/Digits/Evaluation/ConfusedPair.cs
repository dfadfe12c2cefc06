namespace Digits.Evaluation;

/// <summary>
/// An off-diagonal cell of a <see cref="ConfusionMatrix"/>: <see cref="Count"/> samples of class
/// <see cref="TrueLabel"/> were predicted as <see cref="PredictedLabel"/>. Indices are class positions in
/// <see cref="ConfusionMatrix.Labels"/>.
/// </summary>
public sealed record ConfusedPair(int TrueLabel, int PredictedLabel, int Count);
