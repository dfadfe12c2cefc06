using System.Text.Json.Serialization;

namespace Digits.Evaluation;

/// <summary>
/// A model's scores on a labelled set. Serialized with <see cref="System.Text.Json.JsonNamingPolicy.SnakeCaseLower"/>
/// the public figures become the contract's <c>evaluate</c> fields (<c>count</c>, <c>accuracy</c>, <c>accuracy_ci95</c>,
/// <c>top2_accuracy</c>, <c>log_loss</c>, <c>per_class</c>, <c>confusion</c>, <c>seconds</c>) and <c>ece</c>; the front end adds <c>model</c> and
/// <c>dataset</c>. The per-sample arrays are not serialized: they exist so galleries can pick out mistakes.
/// </summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(ConfusionMatrix matrix, double logLoss, double top2Accuracy, double seconds, byte[] trueLabels, int[] predicted, float[] confidence)
    {
        var (low, high) = Metrics.WilsonInterval(matrix.Correct, matrix.Total);
        Count = matrix.Total;
        Accuracy = matrix.Accuracy;
        AccuracyCi95 = [low, high];
        Top2Accuracy = top2Accuracy;
        LogLoss = logLoss;
        PerClass = matrix.PerClass();
        Confusion = matrix.ToRows();
        Seconds = seconds;
        Matrix = matrix;
        TrueLabels = trueLabels;
        Predicted = predicted;
        Confidence = confidence;
        var correct = new bool[Count];
        for (int i = 0; i < Count; i++)
            correct[i] = predicted[i] == trueLabels[i];
        Reliability = CalibrationError.Bins(confidence, correct);
        Ece = CalibrationError.Expected(Reliability);
    }

    /// <summary>Number of samples scored.</summary>
    public int Count { get; }

    /// <summary>Fraction of samples whose most probable class is the true one, 0–1.</summary>
    public double Accuracy { get; }

    /// <summary>95% Wilson score interval for <see cref="Accuracy"/>: two fractions, [low, high].</summary>
    public IReadOnlyList<double> AccuracyCi95 { get; }

    /// <summary>
    /// Fraction of samples whose true class is one of the two most probable, 0–1 (ties go to the lower class, as for
    /// <see cref="Accuracy"/>). Far above <see cref="Accuracy"/> means most mistakes are near misses between two classes.
    /// </summary>
    public double Top2Accuracy { get; }

    /// <summary>Mean negative log probability of the true class, in nats (see <see cref="Metrics.LogLoss"/>).</summary>
    public double LogLoss { get; }

    /// <summary>Precision, recall, F1 and support per class, in label order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Confusion counts, rows = true class, columns = predicted class.</summary>
    public int[][] Confusion { get; }

    /// <summary>Wall-clock seconds spent predicting (model time only, not scoring).</summary>
    public double Seconds { get; }

    /// <summary>Expected calibration error of the top-class confidence, 0–1, over <see cref="CalibrationError.BinCount"/> bins.</summary>
    public double Ece { get; }

    /// <summary>The confidence bins behind <see cref="Ece"/>, for a reliability diagram.</summary>
    [JsonIgnore]
    public IReadOnlyList<ReliabilityBin> Reliability { get; }

    /// <summary>The confusion matrix behind <see cref="Confusion"/> and <see cref="PerClass"/>, for charts and most-confused pairs.</summary>
    [JsonIgnore]
    public ConfusionMatrix Matrix { get; }

    /// <summary>Each sample's true class, in input order.</summary>
    [JsonIgnore]
    public byte[] TrueLabels { get; }

    /// <summary>Each sample's predicted class (the most probable one), in input order.</summary>
    [JsonIgnore]
    public int[] Predicted { get; }

    /// <summary>Each sample's probability for its predicted class, 0–1.</summary>
    [JsonIgnore]
    public float[] Confidence { get; }

    /// <summary>Indices of the misclassified samples, most confident mistakes first (ties by index).</summary>
    public IReadOnlyList<int> Misclassified()
    {
        var indices = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (Predicted[i] != TrueLabels[i])
                indices.Add(i);
        }
        return indices.OrderByDescending(i => Confidence[i]).ThenBy(i => i).ToArray();
    }
}
