namespace Digits.Evaluation;

/// <summary>
/// One class's figures from a <see cref="ConfusionMatrix"/>. Precision, recall and F1 are fractions in 0–1;
/// <see cref="Support"/> is the number of samples whose true label is this class.
/// Property names serialize to the contract's <c>per_class</c> fields under a snake_case naming policy.
/// </summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
