namespace Digits.Evaluation;

/// <summary>
/// Builds an <see cref="EvaluationResult"/> from batches of probabilities as they arrive, so an evaluation never
/// holds more than one batch of probabilities: only each sample's predicted class and confidence are kept, and
/// running sums for log loss and top-2 accuracy.
/// </summary>
internal sealed class EvaluationAccumulator
{
    private readonly ConfusionMatrix _matrix;
    private readonly byte[] _trueLabels;
    private readonly int[] _predicted;
    private readonly float[] _confidence;
    private double _negativeLogSum;
    private int _topTwoHits;
    private int _count;

    /// <param name="capacity">The number of samples that will be added in all.</param>
    public EvaluationAccumulator(IReadOnlyList<string> classLabels, int capacity)
    {
        _matrix = new ConfusionMatrix(classLabels);
        _trueLabels = new byte[capacity];
        _predicted = new int[capacity];
        _confidence = new float[capacity];
    }

    /// <summary>Adds <c>labels.Length</c> samples; <paramref name="probabilities"/> holds one row of class probabilities per sample.</summary>
    public void Add(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities)
    {
        int classCount = _matrix.ClassCount;
        if (_count + labels.Length > _trueLabels.Length)
            throw new InvalidOperationException($"more than the {_trueLabels.Length} samples announced");
        for (int i = 0; i < labels.Length; i++)
        {
            int sample = _count + i;
            int truth = Metrics.CheckLabel(labels[i], sample, classCount);
            var row = probabilities.Slice(i * classCount, classCount);
            var (predicted, runnerUp) = Metrics.TopTwo(row);
            _matrix.Add(truth, predicted);
            if (truth == predicted || truth == runnerUp) _topTwoHits++;
            _negativeLogSum += Metrics.NegativeLog(row[truth]);
            _trueLabels[sample] = labels[i];
            _predicted[sample] = predicted;
            _confidence[sample] = row[predicted];
        }
        _count += labels.Length;
    }

    public EvaluationResult ToResult(double seconds)
    {
        if (_count != _trueLabels.Length)
            throw new InvalidOperationException($"{_count} of the {_trueLabels.Length} samples announced were added");
        return new EvaluationResult(_matrix, _count == 0 ? 0 : _negativeLogSum / _count, _count == 0 ? 0 : (double)_topTwoHits / _count,
            seconds, _trueLabels, _predicted, _confidence);
    }
}
