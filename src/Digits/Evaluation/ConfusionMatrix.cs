namespace Digits.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs, rows indexed by the true class and columns by the prediction,
/// as scikit-learn's <c>confusion_matrix</c> lays them out. Every per-class figure is derived from these counts,
/// so a matrix saved as JSON is enough to recompute them.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] counts;

    /// <param name="labels">Class labels in model output order, e.g. <c>"0"</c>…<c>"9"</c>.</param>
    public ConfusionMatrix(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(labels), labels.Count, "must have at least one class");
        Labels = labels;
        counts = new int[labels.Count * labels.Count];
    }

    /// <summary>Class labels in model output order; position <c>i</c> names row and column <c>i</c>.</summary>
    public IReadOnlyList<string> Labels { get; }

    public int ClassCount => Labels.Count;

    /// <summary>Number of samples added so far.</summary>
    public int Total { get; private set; }

    /// <summary>How many samples of class <paramref name="trueLabel"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int trueLabel, int predicted] => counts[Index(trueLabel, predicted)];

    /// <summary>Records one sample. Both arguments are class positions in <see cref="Labels"/>.</summary>
    public void Add(int trueLabel, int predicted)
    {
        counts[Index(trueLabel, predicted)]++;
        Total++;
    }

    /// <summary>Samples on the diagonal: predicted as their true class.</summary>
    public int Correct
    {
        get
        {
            int correct = 0;
            for (int c = 0; c < ClassCount; c++)
                correct += this[c, c];
            return correct;
        }
    }

    /// <summary>Fraction (0–1) of samples on the diagonal; 0 for an empty matrix.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Samples whose true label is <paramref name="label"/> (the row sum).</summary>
    public int Support(int label)
    {
        int sum = 0;
        for (int p = 0; p < ClassCount; p++)
            sum += this[label, p];
        return sum;
    }

    /// <summary>Samples predicted as <paramref name="label"/> (the column sum).</summary>
    public int PredictedCount(int label)
    {
        int sum = 0;
        for (int t = 0; t < ClassCount; t++)
            sum += this[t, label];
        return sum;
    }

    /// <summary>
    /// Of the samples predicted as <paramref name="label"/>, the fraction that truly are. A class that was never
    /// predicted has precision 0, not NaN, as scikit-learn reports with <c>zero_division=0</c>: a model that never
    /// names a class has earned no credit for it, and JSON has no NaN.
    /// </summary>
    public double Precision(int label)
    {
        int predicted = PredictedCount(label);
        return predicted == 0 ? 0 : (double)this[label, label] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="label"/>, the fraction found; 0 for a class with no samples.</summary>
    public double Recall(int label)
    {
        int support = Support(label);
        return support == 0 ? 0 : (double)this[label, label] / support;
    }

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public double F1(int label)
    {
        double precision = Precision(label), recall = Recall(label);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /// <summary>Precision, recall, F1 and support for every class, in label order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass()
    {
        var result = new ClassMetrics[ClassCount];
        for (int c = 0; c < ClassCount; c++)
            result[c] = new ClassMetrics(Labels[c], Precision(c), Recall(c), F1(c), Support(c));
        return result;
    }

    /// <summary>
    /// Off-diagonal cells with at least one sample, largest count first (ties by true then predicted class),
    /// at most <paramref name="top"/> of them: the mistakes worth looking at first.
    /// </summary>
    public IReadOnlyList<ConfusedPair> MostConfused(int top = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var pairs = new List<ConfusedPair>();
        for (int t = 0; t < ClassCount; t++)
        {
            for (int p = 0; p < ClassCount; p++)
            {
                if (t != p && this[t, p] > 0)
                    pairs.Add(new ConfusedPair(t, p, this[t, p]));
            }
        }
        return pairs
            .OrderByDescending(pair => pair.Count)
            .ThenBy(pair => pair.TrueLabel)
            .ThenBy(pair => pair.PredictedLabel)
            .Take(top)
            .ToArray();
    }

    /// <summary>The counts as rows (true class) of columns (predicted class): the contract's <c>confusion</c> field.</summary>
    public int[][] ToRows()
    {
        var rows = new int[ClassCount][];
        for (int t = 0; t < ClassCount; t++)
            rows[t] = counts.AsSpan(t * ClassCount, ClassCount).ToArray();
        return rows;
    }

    private int Index(int trueLabel, int predicted)
    {
        if ((uint)trueLabel >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(trueLabel), trueLabel, $"must be a class index below {ClassCount}");
        if ((uint)predicted >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"must be a class index below {ClassCount}");
        return trueLabel * ClassCount + predicted;
    }
}
