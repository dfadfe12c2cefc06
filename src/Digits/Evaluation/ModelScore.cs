namespace Digits.Evaluation;

/// <summary>
/// One model's test accuracy for a comparison chart. All figures are fractions 0–1: <see cref="Low"/> and
/// <see cref="High"/> bound the 95% interval (see <see cref="Metrics.WilsonInterval"/>), and <see cref="Published"/>
/// is the reference figure to beat (e.g. 0.923 for the notebook's logistic regression), or null if there is none.
/// </summary>
public sealed record ModelScore(string Name, double Accuracy, double Low, double High, double? Published = null)
{
    /// <summary>A score from an evaluation, with its Wilson interval.</summary>
    public static ModelScore From(string name, EvaluationResult result, double? published = null) =>
        new(name, result.Accuracy, result.AccuracyCi95[0], result.AccuracyCi95[1], published);
}
