namespace Digits.Evaluation;

/// <summary>
/// One model's test accuracy and training time for a comparison chart. Accuracies are fractions 0–1: <see cref="Low"/>
/// and <see cref="High"/> bound the 95% interval (see <see cref="Metrics.WilsonInterval"/>), and
/// <see cref="Published"/> is the reference figure to beat (e.g. 0.923 for the notebook's logistic regression), or
/// null if there is none; <see cref="PublishedBy"/> names its source on the chart (e.g. <c>notebook logreg</c>), and
/// models that share a source share one reference line. <see cref="TrainSeconds"/> is wall-clock training time in
/// seconds, more than 0.
/// </summary>
public sealed record ModelScore(
    string Name, double Accuracy, double Low, double High, double TrainSeconds, double? Published = null, string? PublishedBy = null)
{
    /// <summary>A score from an evaluation, with its Wilson interval.</summary>
    public static ModelScore From(
        string name, EvaluationResult result, double trainSeconds, double? published = null, string? publishedBy = null) =>
        new(name, result.Accuracy, result.AccuracyCi95[0], result.AccuracyCi95[1], trainSeconds, published, publishedBy);
}
