namespace Digits.Evaluation;

/// <summary>
/// Builds an <see cref="EvaluationResult"/> from batches of probabilities as they arrive, so an evaluation never
/// holds more than one batch of probabilities: only each sample's predicted class and confidence are kept, and
/// running sums for log loss and top-2 accuracy.
/// </summary>
internal sealed class EvaluationAccumulator
{
    private readonly ConfusionMatrix matrix;
    private readonly byte[] trueLabels;
    private readonly int[] predicted;
    private readonly float[] confidence;
    private double negativeLogSum;
    private int topTwoHits;
    private int count;

    /// <param name="capacity">The number of samples that will be added in all.</param>
    public EvaluationAccumulator(IReadOnlyList<string> classLabels, int capacity)
    {
        matrix = new ConfusionMatrix(classLabels);
        trueLabels = new byte[capacity];
        predicted = new int[capacity];
        confidence = new float[capacity];
    }

    /// <summary>Adds <c>labels.Length</c> samples; <paramref name="probabilities"/> holds one row of class probabilities per sample.</summary>
    public void Add(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities)
    {
        int classCount = matrix.ClassCount;
        if (count + labels.Length > trueLabels.Length)
            throw new InvalidOperationException($"more than the {trueLabels.Length} samples announced");
        for (int i = 0; i < labels.Length; i++)
        {
            int sample = count + i;
            int truth = Metrics.CheckLabel(labels[i], sample, classCount);
            var row = probabilities.Slice(i * classCount, classCount);
            var (predicted, runnerUp) = Metrics.TopTwo(row);
            matrix.Add(truth, predicted);
            if (truth == predicted || truth == runnerUp)
                topTwoHits++;
            negativeLogSum += Metrics.NegativeLog(row[truth]);
            trueLabels[sample] = labels[i];
            this.predicted[sample] = predicted;
            confidence[sample] = row[predicted];
        }
        count += labels.Length;
    }

    public EvaluationResult ToResult(double seconds)
    {
        if (count != trueLabels.Length)
            throw new InvalidOperationException($"{count} of the {trueLabels.Length} samples announced were added");
        return new EvaluationResult(matrix, count == 0 ? 0 : negativeLogSum / count, count == 0 ? 0 : (double)topTwoHits / count,
            seconds, trueLabels, predicted, confidence);
    }
}
